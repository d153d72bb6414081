package com.gladstream.cli.console;

import com.gladstream.schemas.AnomalyResult;
import com.gladstream.schemas.ControlEvent;
import com.gladstream.schemas.ModelPublished;
import com.gladstream.schemas.RetrainFailed;
import com.gladstream.schemas.RetrainProgress;
import com.gladstream.schemas.RetrainRequested;
import com.gladstream.schemas.RetrainSucceeded;
import com.gladstream.schemas.RejectedImage;
import com.gladstream.schemas.WindowStatistics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * What the operator page shows, as the Kafka feed delivers it: the newest results, the latest
 * statistics window per camera and category, the newest dead letters, the model announced for
 * each category, and recent input images. Bounded in every part; thread-safe; tells listeners of
 * each change as a named event with a JSON-ready value.
 */
final class OperatorView {

    /** One result as the page shows it. */
    record ResultRow(String id, String camera, String category, double score, double threshold, String decision,
            Integer adaptiveStep, String model, long capturedAt, long producedAt, long inferenceMillis,
            int regions, boolean overlay, boolean reconstruction, boolean input) {}

    record DeadLetterRow(String id, String camera, String category, String reason, String message,
            String source, long rejectedAt) {}

    record StatisticsRow(String scope, String key, long windowStart, long windowEnd, long count, long anomalies,
            double anomalyRate, double meanScore, double p95Score) {}

    /** @param retrain the category's latest retrain event in words ("fine-tuning: step 40/200", "refused: ..."), or null */
    record ModelRow(String category, String version, double threshold, long trainingSamples, long publishedAt,
            String servingVersion, String retrain) {}

    /** An input image held for the page, with its content type. */
    record Input(byte[] bytes, String contentType) {}

    private static final int MAX_STATISTICS_KEYS = 500;

    private final int keep;
    private final long inputBudget;
    private final Deque<ResultRow> results = new ArrayDeque<>();
    private final Map<String, AnomalyResult> resultsById = new HashMap<>();
    private final Deque<DeadLetterRow> deadLetters = new ArrayDeque<>();
    private final Map<String, StatisticsRow> statistics = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, ModelPublished> models = new TreeMap<>();
    private final Map<String, String> servingVersions = new HashMap<>();
    private final Map<String, String> retrains = new HashMap<>();
    private final LinkedHashMap<String, Input> inputs = new LinkedHashMap<>(16, 0.75f, true);
    private final List<BiConsumer<String, Object>> listeners = new CopyOnWriteArrayList<>();
    private long inputBytes;
    private long unreadable;

    OperatorView(int keep, long inputBudget) {
        this.keep = keep;
        this.inputBudget = inputBudget;
    }

    void listen(BiConsumer<String, Object> listener) {
        listeners.add(listener);
    }

    void unlisten(BiConsumer<String, Object> listener) {
        listeners.remove(listener);
    }

    void add(AnomalyResult r) {
        ResultRow row;
        synchronized (this) {
            if (resultsById.containsKey(r.getEventId())) {
                return;
            }
            row = new ResultRow(r.getEventId(), r.getCameraId(), r.getCategory(), r.getScore(), r.getThreshold(),
                    r.getDecision().name(), r.getAdaptiveStep(), r.getModelVersion(), r.getCaptureTime().toEpochMilli(),
                    r.getProducedAt().toEpochMilli(), r.getTimings().getInferenceMillis(), r.getRegions().size(),
                    r.getHeatmapUri() != null, r.getReconstructionUri() != null, inputs.containsKey(r.getEventId()));
            results.addFirst(row);
            resultsById.put(r.getEventId(), r);
            while (results.size() > keep) {
                resultsById.remove(results.removeLast().id());
            }
            servingVersions.put(r.getCategory(), r.getModelVersion());
        }
        publish("result", row);
        modelRow(r.getCategory()).ifPresent(m -> publish("model", m));
    }

    void add(RejectedImage d) {
        DeadLetterRow row = new DeadLetterRow(d.getEventId(), d.getCameraId(), d.getCategory(), d.getReason().name(),
                d.getMessage(), d.getSourceTopic() + "-" + d.getSourcePartition() + "@" + d.getSourceOffset(),
                d.getRejectedAt().toEpochMilli());
        synchronized (this) {
            deadLetters.addFirst(row);
            while (deadLetters.size() > keep) {
                deadLetters.removeLast();
            }
        }
        publish("deadLetter", row);
    }

    void add(WindowStatistics s) {
        StatisticsRow row = new StatisticsRow(s.getScope().name(), s.getKey(), s.getWindowStart().toEpochMilli(),
                s.getWindowEnd().toEpochMilli(), s.getCount(), s.getAnomalies(), s.getAnomalyRate(), s.getMeanScore(),
                s.getP95Score());
        String key = row.scope() + ":" + row.key();
        synchronized (this) {
            StatisticsRow current = statistics.get(key);
            if (current != null && current.windowStart() > row.windowStart()) {
                return; // a late, older window: the page shows the latest one
            }
            statistics.put(key, row);
            if (statistics.size() > MAX_STATISTICS_KEYS) {
                statistics.remove(statistics.keySet().iterator().next());
            }
        }
        publish("statistics", row);
    }

    void add(ModelPublished m) {
        synchronized (this) {
            models.put(m.getCategory(), m);
        }
        modelRow(m.getCategory()).ifPresent(row -> publish("model", row));
    }

    /** Whether the models topic announced a model for {@code category}. */
    synchronized boolean hasModel(String category) {
        return models.containsKey(category);
    }

    /** Notes the category's latest retrain event (request, progress, outcome) for its model row. */
    void add(ControlEvent e) {
        String status = retrainStatus(e);
        if (status == null) {
            return;
        }
        synchronized (this) {
            if (!models.containsKey(e.getCategory())) {
                return; // a category with no model has no row (and names from the topic are not kept without bound)
            }
            retrains.put(e.getCategory(), status);
        }
        modelRow(e.getCategory()).ifPresent(row -> publish("model", row));
    }

    private static String retrainStatus(ControlEvent e) {
        Object p = e.getPayload();
        if (p instanceof RetrainRequested r) {
            return "requested (" + r.getTrigger().name().toLowerCase(Locale.ROOT) + ")";
        } else if (p instanceof RetrainProgress r) {
            return r.getTotalSteps() > 0 ? r.getStage() + ": step " + r.getStep() + "/" + r.getTotalSteps() : r.getStage();
        } else if (p instanceof RetrainSucceeded r) {
            return "published " + r.getVersion();
        } else if (p instanceof RetrainFailed r) {
            return "refused: " + r.getReason();
        }
        return null;
    }

    /** Keeps a request's inline image for the page, within the memory budget, oldest out first. */
    synchronized void addInput(String eventId, byte[] bytes, String contentType) {
        if (bytes == null || bytes.length > inputBudget) {
            return;
        }
        Input old = inputs.put(eventId, new Input(bytes, contentType));
        inputBytes += bytes.length - (old == null ? 0 : old.bytes().length);
        var eldest = inputs.entrySet().iterator();
        while (inputBytes > inputBudget && eldest.hasNext()) {
            inputBytes -= eldest.next().getValue().bytes().length;
            eldest.remove();
        }
    }

    /** Counts a record the feed could not read (shown on the page, never silently dropped). */
    void unreadable() {
        long count;
        synchronized (this) {
            count = ++unreadable;
        }
        publish("unreadable", count);
    }

    synchronized Optional<AnomalyResult> result(String eventId) {
        return Optional.ofNullable(resultsById.get(eventId));
    }

    synchronized Optional<Input> input(String eventId) {
        return Optional.ofNullable(inputs.get(eventId));
    }

    /** Everything the page shows, for a page that has just connected. */
    synchronized Map<String, Object> snapshot() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("results", new ArrayList<>(results));
        s.put("deadLetters", new ArrayList<>(deadLetters));
        List<StatisticsRow> stats = new ArrayList<>(statistics.values());
        stats.sort(Comparator.comparing(StatisticsRow::scope).thenComparing(StatisticsRow::key));
        s.put("statistics", stats);
        s.put("models", models.keySet().stream().map(this::modelRowLocked).toList());
        s.put("unreadable", unreadable);
        return s;
    }

    private synchronized Optional<ModelRow> modelRow(String category) {
        return models.containsKey(category) ? Optional.of(modelRowLocked(category)) : Optional.empty();
    }

    private ModelRow modelRowLocked(String category) {
        ModelPublished m = models.get(category);
        return new ModelRow(category, m.getVersion(), m.getThreshold(), m.getTrainingSamples(),
                m.getPublishedAt().toEpochMilli(), servingVersions.get(category), retrains.get(category));
    }

    private void publish(String event, Object value) {
        listeners.forEach(l -> l.accept(event, value));
    }
}
