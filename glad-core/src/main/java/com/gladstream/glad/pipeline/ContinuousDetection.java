package com.gladstream.glad.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.reconstruction.ReconstructionBatch;
import com.gladstream.glad.reconstruction.ReconstructionResult;
import com.gladstream.glad.reconstruction.Reconstructor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Detection with step-level (continuous) batching: images join a running {@link ReconstructionBatch}
 * at any step boundary and leave it when their own steps are done, when their map, score and
 * decision are made as in {@link AnomalyDetector#detect}. An image's detection does not depend on
 * when it joined or on its companions (docs/DESIGN.md, "The worker's threads and batching").
 *
 * <p>Not thread-safe: one thread admits, steps and closes.
 */
public final class ContinuousDetection implements AutoCloseable {

    private final AnomalyDetector detector;
    private final DenoisingModel model;
    private final NDManager manager;
    private final ReconstructionBatch batch;
    private final Map<Integer, Admitted> admitted = new HashMap<>();

    /** An image in the batch: as given (its map is made at its size) and the time spent on it so far. */
    private static final class Admitted {
        final FloatImage image;
        double seconds;

        Admitted(FloatImage image, double seconds) {
            this.image = image;
            this.seconds = seconds;
        }
    }

    ContinuousDetection(AnomalyDetector detector, DenoisingModel model, Reconstructor reconstructor) {
        this.detector = detector;
        this.model = model;
        this.manager = NDManager.newBaseManager("PyTorch");
        this.batch = reconstructor.newBatch(manager);
    }

    /**
     * Admits an image: from the next {@link #step()} on it shares the network calls of the images
     * already in the batch.
     *
     * @return its ticket, under which {@link #step()} reports its detection
     */
    public int admit(FloatImage image, long seed) {
        long start = System.nanoTime();
        int ticket;
        try (NDManager scratch = manager.newSubManager()) {
            ticket = batch.add(model.toModelSpace(scratch, List.of(image)).get(0), seed);
        }
        admitted.put(ticket, new Admitted(image, (System.nanoTime() - start) / 1e9));
        return ticket;
    }

    /** Images admitted and not yet reported. */
    public int size() {
        return batch.size();
    }

    /**
     * One denoising step of every admitted image (one network call), then the final map of the images
     * it finished; each image is charged its share of the step.
     *
     * @return the detections of the images that finished in this step, by ticket
     */
    public Map<Integer, Detection> step() {
        int n = batch.size();
        if (n == 0) {
            return Map.of();
        }
        long start = System.nanoTime();
        Map<Integer, ReconstructionResult> finished = batch.step();
        double share = (System.nanoTime() - start) / 1e9 / n;
        admitted.values().forEach(a -> a.seconds += share);
        Map<Integer, Detection> detections = new LinkedHashMap<>();
        if (finished.isEmpty()) {
            return detections;
        }
        List<Integer> tickets = new ArrayList<>(finished.keySet());
        List<FloatImage> images = new ArrayList<>(tickets.size());
        double[] seconds = new double[tickets.size()];
        for (int i = 0; i < tickets.size(); i++) {
            Admitted a = admitted.remove(tickets.get(i));
            images.add(a.image);
            seconds[i] = a.seconds;
        }
        try (NDManager scratch = manager.newSubManager()) {
            NDArray inputs = model.toModelSpace(scratch, images);
            List<Detection> judged = detector.judge(scratch, inputs, images, List.copyOf(finished.values()), seconds);
            for (int i = 0; i < tickets.size(); i++) {
                detections.put(tickets.get(i), judged.get(i));
            }
        }
        return detections;
    }

    /** Frees the batch's native memory; images still in it are dropped. */
    @Override
    public void close() {
        try {
            batch.close();
        } finally {
            manager.close();
        }
    }
}
