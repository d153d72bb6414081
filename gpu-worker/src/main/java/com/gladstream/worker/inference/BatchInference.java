package com.gladstream.worker.inference;

import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.pipeline.Detection;
import com.gladstream.glad.pipeline.DetectionReport;
import com.gladstream.glad.reconstruction.NoiseSeeds;
import com.gladstream.glad.scoring.Region;
import com.gladstream.schemas.AnomalyResult;
import com.gladstream.schemas.Decision;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.RegionBox;
import com.gladstream.schemas.RejectReason;
import com.gladstream.schemas.Timings;
import com.gladstream.worker.heatmaps.HeatmapStore;
import com.gladstream.worker.images.DecodedRequest;
import com.gladstream.worker.kafka.DeadLetters;
import com.gladstream.worker.kafka.Outcome;
import com.gladstream.worker.models.ModelCache;
import com.gladstream.worker.models.ServingModel;
import com.gladstream.worker.observability.WorkerMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one micro-batch (one category) through the category's serving model and turns every image
 * into exactly one outcome: a result whose heatmap files are already written, or a dead letter.
 * A failure on one image does not fail its batch: a failed batch is retried image by image, and
 * only the images that fail alone are dead-lettered. Called on an inference thread.
 */
public final class BatchInference {

    private static final Logger log = LoggerFactory.getLogger(BatchInference.class);

    private final ModelCache models;
    private final HeatmapStore heatmaps;
    private final WorkerMetrics metrics;

    public BatchInference(ModelCache models, HeatmapStore heatmaps, WorkerMetrics metrics) {
        this.models = models;
        this.heatmaps = heatmaps;
        this.metrics = metrics;
    }

    public List<Outcome> run(List<DecodedRequest> batch) {
        String category = batch.get(0).category();
        Optional<ServingModel> serving = models.acquire(category);
        if (serving.isEmpty()) {
            return batch.stream().map(BatchInference::noModel).toList();
        }
        ServingModel model = serving.get();
        try {
            long started = System.currentTimeMillis();
            batch.forEach(r -> queued(r, started));
            List<Detection> detections = detectAll(model, batch);
            long elapsed = System.currentTimeMillis() - started;
            metrics.batch(batch.size(), Duration.ofMillis(elapsed));
            List<Outcome> outcomes = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                outcomes.add(outcome(batch.get(i), detections.get(i), model, started, elapsed, batch.size()));
            }
            return outcomes;
        } finally {
            model.release();
        }
    }

    /**
     * The continuous (step-level) batching of docs/DESIGN.md, "The worker's threads and batching",
     * sharing this class's model lookup, fallback and outcomes.
     */
    public ContinuousInference continuous(int maxBatchSize) {
        return new ContinuousInference(this, models, metrics, maxBatchSize);
    }

    /** Records how long the request waited from validation to {@code started}, when its inference began. */
    void queued(DecodedRequest request, long started) {
        metrics.queueWait(Duration.ofMillis(started - request.request().getValidatedAt().toEpochMilli()));
    }

    /** The batch's detections; null for an image that failed even alone. */
    private static List<Detection> detectAll(ServingModel model, List<DecodedRequest> batch) {
        try {
            return model.detector().detect(images(batch), seeds(batch));
        } catch (RuntimeException batchFailure) {
            log.warn("batch of {} for {} failed ({}); retrying image by image", batch.size(), model.category(),
                    batchFailure.toString());
            return batch.stream().map(request -> alone(model, request)).toList();
        }
    }

    /** The request's detection run alone, or null (logged) when it fails even alone. */
    static Detection alone(ServingModel model, DecodedRequest request) {
        try {
            return model.detector().detect(images(List.of(request)), seeds(List.of(request))).get(0);
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("event_id", request.eventId()).log("inference failed: {}", e.toString());
            return null;
        }
    }

    /** The dead letter of a request whose batch failed outside detection. */
    public static Outcome failed(DecodedRequest request, RuntimeException failure) {
        return DeadLetters.of(request.item(), request.request().getImage(), RejectReason.INFERENCE_FAILED,
                failure.toString());
    }

    static Outcome noModel(DecodedRequest request) {
        return DeadLetters.of(request.item(), request.request().getImage(), RejectReason.NO_MODEL,
                "no model is published for category '" + request.category() + "'");
    }

    /**
     * One request's outcome: its heatmap files written and its result, or its dead letter when the
     * detection is null (it failed even alone) or the files cannot be written.
     *
     * @param started when its inference began (epoch millis); {@code elapsed} how long it took
     * @param batchSize the images it shared network calls with, itself included
     */
    Outcome outcome(DecodedRequest request, Detection detection, ServingModel model, long started,
            long elapsed, int batchSize) {
        ImageEvent image = request.request().getImage();
        if (detection == null) {
            return DeadLetters.of(request.item(), image, RejectReason.INFERENCE_FAILED,
                    "inference failed with model " + model.version());
        }
        HeatmapStore.Stored stored;
        try {
            stored = heatmaps.write(image.getCategory(), image.getEventId(), request.image(), detection);
        } catch (Exception e) {
            return DeadLetters.of(request.item(), image, RejectReason.PROCESSING_ERROR,
                    "heatmap could not be written: " + e.getMessage());
        }
        DetectionReport report = DetectionReport.of(detection);
        return new Outcome.Scored(request.item(), AnomalyResult.newBuilder()
                .setEventId(image.getEventId())
                .setCameraId(image.getCameraId())
                .setCategory(image.getCategory())
                .setCaptureTime(image.getCaptureTime())
                .setScore(report.score())
                .setDecision(report.anomalous() ? Decision.ANOMALOUS : Decision.NORMAL)
                .setThreshold(report.threshold())
                .setAdaptiveStep(report.adaptiveStep())
                .setHeatmapUri(stored.overlayUri())
                .setMapUri(stored.mapUri())
                .setReconstructionUri(stored.reconstructionUri())
                .setModelVersion(model.version())
                .setRegions(report.regions().stream().map(BatchInference::box).toList())
                .setTimings(Timings.newBuilder()
                        .setQueueMillis(Math.max(0, started - request.request().getValidatedAt().toEpochMilli()))
                        .setInferenceMillis(elapsed)
                        .setBatchSize(batchSize)
                        .build())
                .setProducedAt(Instant.now())
                .build());
    }

    private static RegionBox box(Region r) {
        return new RegionBox(r.x(), r.y(), r.width(), r.height(), (double) r.peak());
    }

    private static List<FloatImage> images(List<DecodedRequest> batch) {
        return batch.stream().map(DecodedRequest::image).toList();
    }

    private static List<Long> seeds(List<DecodedRequest> batch) {
        return batch.stream().map(BatchInference::seed).toList();
    }

    static long seed(DecodedRequest request) {
        return NoiseSeeds.of(request.eventId());
    }
}
