package com.gladstream.glad.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.gladstream.glad.features.FeatureExtractor;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.image.ImageTensors;
import com.gladstream.glad.reconstruction.AdaptiveReconstructor;
import com.gladstream.glad.reconstruction.FixedStepReconstructor;
import com.gladstream.glad.reconstruction.ReconstructionResult;
import com.gladstream.glad.reconstruction.Reconstructor;
import com.gladstream.glad.scoring.AnomalyMap;
import com.gladstream.glad.scoring.AnomalyScorer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * GLAD end to end: fit images to the model, reconstruct them (adaptive or fixed-step), map the
 * input against its reconstruction, score, decide. The one entry point of evaluation, the detect
 * command and the streaming worker.
 *
 * <p>Holds configuration only; each call works on its own native memory, released before it
 * returns. Calls may run concurrently if the feature extractor allows it (ONNX and pixel
 * extractors do, TorchScript does not); the worker confines one detector to one thread.
 * It does not own the model or the feature extractor: close them after the detector's last use.
 */
public final class AnomalyDetector {

    private final DenoisingModel model;
    private final Reconstructor reconstructor;
    private final AnomalyScorer scorer;
    private final DetectorSettings settings;

    private AnomalyDetector(DenoisingModel model, Reconstructor reconstructor, AnomalyScorer scorer,
            DetectorSettings settings) {
        this.model = model;
        this.reconstructor = reconstructor;
        this.scorer = scorer;
        this.settings = settings;
    }

    public static AnomalyDetector create(DenoisingModel model, FeatureExtractor features, DetectorSettings settings) {
        AnomalyScorer scorer = new AnomalyScorer(features, settings.scoring());
        Reconstructor reconstructor = switch (settings.mode()) {
            case GLAD -> new AdaptiveReconstructor(model.network(), model.schedule(), settings.maxStep(),
                    settings.inferenceSteps(), scorer, settings.ads());
            case FIXED -> new FixedStepReconstructor(model.network(), model.schedule(), settings.maxStep(),
                    settings.inferenceSteps());
        };
        return new AnomalyDetector(model, reconstructor, scorer, settings);
    }

    public DetectorSettings settings() {
        return settings;
    }

    /**
     * @param images any size and channel count; each is fitted to the model for reconstruction, and
     *     its map is returned at its own size
     * @param seeds one noise seed per image (see {@link com.gladstream.glad.reconstruction.NoiseSeeds})
     * @return one detection per image, in order; images are processed in micro-batches of the
     *     configured batch size
     */
    public List<Detection> detect(List<FloatImage> images, List<Long> seeds) {
        if (images.size() != seeds.size()) {
            throw new IllegalArgumentException(seeds.size() + " seeds for " + images.size() + " images");
        }
        List<Detection> detections = new ArrayList<>(images.size());
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            for (int from = 0; from < images.size(); from += settings.batchSize()) {
                int to = Math.min(images.size(), from + settings.batchSize());
                try (NDManager batch = manager.newSubManager()) {
                    detections.addAll(detectBatch(batch, images.subList(from, to), seeds.subList(from, to)));
                }
            }
        }
        return detections;
    }

    private List<Detection> detectBatch(NDManager manager, List<FloatImage> images, List<Long> seeds) {
        long start = System.nanoTime();
        NDArray inputs = model.toModelSpace(manager, images);
        long[] seedArray = seeds.stream().mapToLong(Long::longValue).toArray();
        List<ReconstructionResult> reconstructions = reconstructor.reconstruct(inputs, seedArray, images.size());
        double[] seconds = new double[images.size()];
        Arrays.fill(seconds, (System.nanoTime() - start) / 1e9 / images.size());
        return judge(manager, inputs, images, reconstructions, seconds);
    }

    /**
     * Opens a continuous detection: images are admitted one by one while others are being
     * reconstructed, and each comes out as soon as its own steps are done. Confined to the calling
     * thread; close it on that thread.
     */
    public ContinuousDetection continuous() {
        return new ContinuousDetection(this, model, reconstructor);
    }

    /**
     * Maps, scores and decisions for reconstructed images, the part of detection that follows
     * reconstruction in both the batched and the continuous path.
     *
     * @param inputs the images in model space, one row per image
     * @param secondsBefore each image's share of the time spent on it before this call; its share of
     *     the map time is added
     */
    List<Detection> judge(NDManager manager, NDArray inputs, List<FloatImage> images,
            List<ReconstructionResult> reconstructions, double[] secondsBefore) {
        long start = System.nanoTime();
        NDArray reconstructed = ImageTensors.toModelSpace(
                manager, reconstructions.stream().map(ReconstructionResult::reconstruction).toList());
        List<AnomalyMap> maps = scorer.maps(inputs, reconstructed);
        double mapSeconds = (System.nanoTime() - start) / 1e9 / images.size();
        List<Detection> detections = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            FloatImage image = images.get(i);
            ReconstructionResult reconstruction = reconstructions.get(i);
            double score = scorer.score(maps.get(i));
            detections.add(new Detection(
                    score,
                    score > settings.threshold(),
                    settings.threshold(),
                    maps.get(i).resize(image.height(), image.width()),
                    reconstruction.reconstruction(),
                    reconstruction.adaptiveStep(),
                    reconstruction.unetEvaluations(),
                    reconstruction.featureExtractions() + 2,
                    secondsBefore[i] + mapSeconds));
        }
        return detections;
    }
}
