package com.gladstream.worker.inference;

import com.gladstream.glad.pipeline.ContinuousDetection;
import com.gladstream.glad.pipeline.Detection;
import com.gladstream.worker.images.DecodedRequest;
import com.gladstream.worker.kafka.Outcome;
import com.gladstream.worker.models.ModelCache;
import com.gladstream.worker.models.ServingModel;
import com.gladstream.worker.observability.WorkerMetrics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step-level (continuous) batching: each inference thread keeps one running batch per serving model
 * and, before each denoising step of it, admits the category's waiting requests up to
 * {@code maxBatchSize}; an image leaves when its own steps are done, and its outcome goes out at once
 * (docs/DESIGN.md, "The worker's threads and batching"). What is shared with static batching comes
 * from {@link BatchInference}: the model lookup and {@code NO_MODEL} dead letters, the image-by-image
 * retry of a failed batch, heatmap files and outcomes.
 *
 * <p>A model swapped out takes no new images; its batch finishes the ones it has, then releases it.
 * The waiting requests are only those the pipeline requested, one per free slot, so they are bounded.
 */
public final class ContinuousInference {

    private static final Logger log = LoggerFactory.getLogger(ContinuousInference.class);

    private final BatchInference shared;
    private final ModelCache models;
    private final WorkerMetrics metrics;
    private final int maxBatchSize;
    /** Decoded requests not yet admitted, per category in order of first arrival; the lock of everything here. */
    private final Map<String, ArrayDeque<DecodedRequest>> waiting = new LinkedHashMap<>();
    private boolean stopped;

    ContinuousInference(BatchInference shared, ModelCache models, WorkerMetrics metrics, int maxBatchSize) {
        this.shared = shared;
        this.models = models;
        this.metrics = metrics;
        this.maxBatchSize = maxBatchSize;
    }

    /** A decoded request waits to join its category's running batch on whichever inference thread steps it next. */
    public void offer(DecodedRequest request) {
        synchronized (waiting) {
            waiting.computeIfAbsent(request.category(), c -> new ArrayDeque<>()).add(request);
            waiting.notifyAll();
        }
    }

    /** Every {@link #serve} loop returns at its next step boundary; images still in a batch are replayed from Kafka. */
    public void stop() {
        synchronized (waiting) {
            stopped = true;
            waiting.notifyAll();
        }
    }

    /**
     * One inference thread's loop, until {@link #stop}: its batches take turns, one denoising step
     * each. Every outcome goes to {@code finish}, and {@code freed} learns how many slots it freed.
     */
    public void serve(Consumer<List<? extends Outcome>> finish, IntConsumer freed) {
        Deque<RunningBatch> turns = new ArrayDeque<>();
        try {
            while (awaitWork(turns)) {
                hand(openBatches(turns), finish, freed);
                RunningBatch batch = turns.pollFirst();
                if (batch == null) {
                    continue; // what waited had no model, or another thread took it
                }
                try {
                    hand(batch.admitWaiting(), finish, freed);
                    hand(batch.step(), finish, freed);
                } catch (RuntimeException unexpected) {
                    hand(batch.abandon(unexpected), finish, freed);
                }
                if (batch.isEmpty()) {
                    batch.close();
                } else {
                    turns.addLast(batch);
                }
            }
        } finally {
            turns.forEach(RunningBatch::close);
        }
    }

    private static void hand(List<Outcome> outcomes, Consumer<List<? extends Outcome>> finish, IntConsumer freed) {
        if (!outcomes.isEmpty()) {
            finish.accept(outcomes);
            freed.accept(outcomes.size());
        }
    }

    /** Blocks while this thread has nothing to step and nothing waits; false once stopped. */
    private boolean awaitWork(Deque<RunningBatch> turns) {
        synchronized (waiting) {
            try {
                while (!stopped && turns.isEmpty() && waiting.isEmpty()) {
                    waiting.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return !stopped;
        }
    }

    /**
     * Opens a batch for every category that has requests waiting and no batch of its serving model
     * on this thread; the requests of a category with no model become dead letters.
     */
    private List<Outcome> openBatches(Deque<RunningBatch> turns) {
        List<String> categories;
        synchronized (waiting) {
            categories = new ArrayList<>(waiting.keySet());
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (String category : categories) {
            if (turns.stream().anyMatch(b -> b.model.category().equals(category) && models.serves(b.model))) {
                continue;
            }
            Optional<ServingModel> model = models.acquire(category);
            if (model.isEmpty()) {
                take(category, Integer.MAX_VALUE).forEach(r -> outcomes.add(BatchInference.noModel(r)));
                continue;
            }
            try {
                turns.addLast(new RunningBatch(model.get()));
            } catch (RuntimeException e) {
                log.warn("no continuous batch could be opened for {} ({}); running its waiting images alone", category,
                        e.toString());
                ServingModel serving = model.get();
                try {
                    take(category, maxBatchSize).forEach(r -> outcomes.add(alone(serving, r)));
                } finally {
                    serving.release();
                }
            }
        }
        return outcomes;
    }

    /** The request run alone through the model's detector, as static batching retries an image. */
    private Outcome alone(ServingModel model, DecodedRequest request) {
        long started = System.currentTimeMillis();
        Detection detection = BatchInference.alone(model, request);
        metrics.inferred(1);
        return shared.outcome(request, detection, model, started, System.currentTimeMillis() - started, 1);
    }

    private List<DecodedRequest> take(String category, int max) {
        List<DecodedRequest> taken = new ArrayList<>();
        synchronized (waiting) {
            ArrayDeque<DecodedRequest> queue = waiting.get(category);
            while (queue != null && !queue.isEmpty() && taken.size() < max) {
                taken.add(queue.poll());
            }
            if (queue != null && queue.isEmpty()) {
                waiting.remove(category);
            }
        }
        return taken;
    }

    /** An admitted request: when its inference began and how many images were in the batch once it joined. */
    private record Admission(DecodedRequest request, long startedMillis, int batchSize) {}

    /** One serving model's running batch on one inference thread, holding a reference to the model until closed. */
    private final class RunningBatch {

        final ServingModel model;
        private final ContinuousDetection detection;
        private final Map<Integer, Admission> admitted = new HashMap<>();
        private boolean closed;

        /** Takes over the reference to {@code model} once the batch is open; a failure to open leaves it with the caller. */
        RunningBatch(ServingModel model) {
            this.model = model;
            this.detection = model.detector().continuous();
        }

        boolean isEmpty() {
            return admitted.isEmpty();
        }

        /** Admits waiting requests of the category up to the batch size, unless a newer model serves it now. */
        List<Outcome> admitWaiting() {
            List<Outcome> failed = new ArrayList<>();
            if (!models.serves(model)) {
                return failed;
            }
            for (DecodedRequest request : take(model.category(), maxBatchSize - admitted.size())) {
                long started = System.currentTimeMillis();
                shared.queued(request, started);
                try {
                    int ticket = detection.admit(request.image(), BatchInference.seed(request));
                    admitted.put(ticket, new Admission(request, started, detection.size()));
                } catch (RuntimeException e) {
                    log.warn("{} could not join a continuous batch ({}); running it alone", request.eventId(), e.toString());
                    failed.add(alone(request));
                }
            }
            return failed;
        }

        /** One step; the outcomes of the images it finished, or of every image in the batch if it failed. */
        List<Outcome> step() {
            int size = detection.size();
            if (size == 0) {
                return List.of();
            }
            long start = System.nanoTime();
            Map<Integer, Detection> finished;
            try {
                finished = detection.step();
            } catch (RuntimeException failure) {
                return failed(failure);
            }
            metrics.step(size, Duration.ofNanos(System.nanoTime() - start));
            long now = System.currentTimeMillis();
            List<Outcome> outcomes = new ArrayList<>(finished.size());
            finished.forEach((ticket, result) -> {
                Admission a = admitted.get(ticket);
                outcomes.add(shared.outcome(a.request(), result, model, a.startedMillis(), now - a.startedMillis(),
                        a.batchSize()));
            });
            // Only once every outcome exists: an image is never both gone from the batch and without one.
            admitted.keySet().removeAll(finished.keySet());
            metrics.inferred(outcomes.size());
            return outcomes;
        }

        /**
         * A failed step leaves the batch in no known state: it is closed, and each of its images is run
         * alone from the start (same seed, so the same result), as static batching retries a failed batch.
         */
        private List<Outcome> failed(RuntimeException failure) {
            log.warn("continuous batch of {} for {} failed ({}); retrying image by image", admitted.size(),
                    model.category(), failure.toString());
            List<Outcome> outcomes = new ArrayList<>(admitted.size());
            admitted.values().forEach(a -> outcomes.add(alone(a.request())));
            admitted.clear();
            return outcomes;
        }

        /** What static batching does when a batch fails outside detection: every image in it is dead-lettered. */
        List<Outcome> abandon(RuntimeException failure) {
            List<Outcome> outcomes = admitted.values().stream().map(a -> BatchInference.failed(a.request(), failure)).toList();
            admitted.clear();
            return outcomes;
        }

        private Outcome alone(DecodedRequest request) {
            return ContinuousInference.this.alone(model, request);
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                detection.close();
            } finally {
                model.release();
            }
        }
    }
}
