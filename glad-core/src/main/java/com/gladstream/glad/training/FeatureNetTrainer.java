package com.gladstream.glad.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import com.gladstream.glad.diffusion.schedule.NoiseSchedule;
import com.gladstream.glad.features.ConvFeatureNet;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.image.ImageTensors;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.reconstruction.NoiseSeeds;
import com.gladstream.glad.synthesis.AnomalySynthesizer;
import com.gladstream.glad.synthesis.SyntheticAnomaly;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains the category's {@link ConvFeatureNet} on what the ADS trigger compares (docs/DESIGN.md A.3):
 * pairs of the input-anchored estimate x_{t→0} and the normal estimate x̂_{t→0}, made by the trained
 * diffusion model itself from training images, half of them carrying a synthetic anomaly (A.4). The
 * loss asks for equal features (cosine distance 0) wherever the input is normal and for a distance of
 * at least the margin wherever the anomaly is, so the trigger's distance stays small under the
 * variation of normal reconstructions and grows where an anomaly is left in the input.
 *
 * <p>A pair is the second step of a reconstruction: the input noised to T with ε, one DDIM jump to
 * a random t with the model's estimate, then both estimates at t from one noise prediction. That
 * costs two UNet evaluations per pair; the network then trains on random crops of the pairs.
 * Deterministic under the seed.
 */
public final class FeatureNetTrainer {

    /**
     * @param pairs estimate pairs made with the diffusion model
     * @param steps optimiser steps over the pairs
     * @param batchSize pairs per step
     * @param cropSize side of the random crops the network trains on (whole pairs if smaller)
     * @param learningRate AdamW's
     * @param margin the cosine distance asked for at anomalous positions
     * @param seed fixes the pairs, the crops and the initial weights
     */
    public record Settings(int pairs, int steps, int batchSize, int cropSize, double learningRate, double margin,
            long seed) {

        public static final Settings DEFAULTS = new Settings(128, 400, 16, 64, 2e-3, 0.5, 0L);

        public Settings {
            if (pairs < 1 || steps < 1 || batchSize < 1 || cropSize < ConvFeatureNet.stride(ConvFeatureNet.LAYERS - 1)) {
                throw new IllegalArgumentException("pairs, steps and batch size must be positive and the crop at least "
                        + ConvFeatureNet.stride(ConvFeatureNet.LAYERS - 1));
            }
        }

        public Settings withSeed(long newSeed) {
            return new Settings(pairs, steps, batchSize, cropSize, learningRate, margin, newSeed);
        }
    }

    private static final int PAIRS_PER_CALL = 16;
    private static final double WEIGHT_DECAY = 1e-4;
    private static final double PROGRESS_SECONDS = 10;

    private final Settings settings;
    private final AnomalySynthesizer synthesizer;

    public FeatureNetTrainer(Settings settings, AnomalySynthesizer synthesizer) {
        this.settings = settings;
        this.synthesizer = synthesizer;
    }

    /**
     * {@code model} with a feature network trained on pairs from {@code images} (prepared model input)
     * at timesteps below {@code maxStep}; {@code model} itself is left as it is.
     */
    public GladModel train(GladModel model, List<FloatImage> images, int maxStep, PrintWriter progress) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to train the feature network on");
        }
        if (maxStep < 2 || maxStep >= model.schedule().trainSteps()) {
            throw new IllegalArgumentException("T=" + maxStep + " outside the model's schedule");
        }
        long start = System.nanoTime();
        try (NDManager manager = NDManager.newBaseManager()) {
            Pairs pairs = makePairs(manager, model, images, maxStep);
            progress.printf(Locale.ROOT, "feature network: %d estimate pairs in %.0f s (%d UNet evaluations)%n",
                    settings.pairs(), (System.nanoTime() - start) / 1e9, 2 * settings.pairs());
            progress.flush();
            Map<String, NDArray> weights = fit(manager, pairs, progress);
            progress.printf(Locale.ROOT, "feature network trained in %.0f s%n", (System.nanoTime() - start) / 1e9);
            progress.flush();
            return model.withFeatureNet(weights);
        }
    }

    /** Input-anchored estimates, normal estimates (N×C×H×W) and anomaly masks (N×1×H×W). */
    record Pairs(NDArray anchored, NDArray normal, NDArray masks) {}

    Pairs makePairs(NDManager manager, GladModel model, List<FloatImage> images, int maxStep) {
        NoiseSchedule schedule = model.schedule();
        Random rng = new Random(settings.seed());
        NDList anchored = new NDList();
        NDList normal = new NDList();
        NDList masks = new NDList();
        for (int made = 0; made < settings.pairs(); made += PAIRS_PER_CALL) {
            int n = Math.min(PAIRS_PER_CALL, settings.pairs() - made);
            List<FloatImage> inputs = new ArrayList<>(n);
            FloatImage first = images.get(0);
            int pixels = first.height() * first.width();
            float[] mask = new float[n * pixels];
            int[] top = new int[n];
            int[] t = new int[n];
            for (int i = 0; i < n; i++) {
                FloatImage image = images.get(rng.nextInt(images.size()));
                if (rng.nextBoolean()) {
                    SyntheticAnomaly anomaly = synthesizer.synthesize(image, rng);
                    inputs.add(anomaly.image());
                    System.arraycopy(anomaly.mask(), 0, mask, i * pixels, pixels);
                } else {
                    inputs.add(image);
                }
                top[i] = maxStep;
                t[i] = 1 + rng.nextInt(maxStep - 1);
            }
            try (NDManager call = manager.newSubManager()) {
                NDArray x = ImageTensors.toModelSpace(call, inputs);
                NDArray eps = call.create(NoiseSeeds.gaussian(rng.nextLong(), (int) x.size()), x.getShape());
                NDArray xTop = schedule.addNoise(x, eps, top);
                NDArray epsTop = model.predictNoise(xTop, top);
                NDArray xt = schedule.addNoise(schedule.predictOriginal(xTop, epsTop, top), epsTop, t);
                NDArray epsHat = model.predictNoise(xt, t);
                NDArray normalEstimate = schedule.predictOriginal(xt, epsHat, t);
                NDArray anchoredEstimate = schedule.predictOriginal(schedule.addNoise(x, eps, t), epsHat, t);
                NDArray maskArray = call.create(mask, new Shape(n, 1, first.height(), first.width()));
                for (NDArray kept : List.of(normalEstimate, anchoredEstimate, maskArray)) {
                    kept.attach(manager);
                }
                normal.add(normalEstimate);
                anchored.add(anchoredEstimate);
                masks.add(maskArray);
            }
        }
        return new Pairs(NDArrays.concat(anchored), NDArrays.concat(normal), NDArrays.concat(masks));
    }

    private Map<String, NDArray> fit(NDManager manager, Pairs pairs, PrintWriter progress) {
        Map<String, NDArray> weights = ConvFeatureNet.randomWeights(manager, settings.seed());
        List<NDArray> parameters = new ArrayList<>(weights.values());
        // Detached views sharing the parameters' storage: AdamW updates them in place, and they are the result.
        Map<String, NDArray> views = new LinkedHashMap<>();
        List<Boolean> decayed = new ArrayList<>();
        weights.forEach((name, array) -> {
            array.setRequiresGradient(true);
            NDArray view = array.stopGradient();
            view.attach(manager);
            views.put(name, view);
            decayed.add(name.endsWith(".weight"));
        });
        AdamW optimizer = new AdamW(manager, new ArrayList<>(views.values()), decayed, WEIGHT_DECAY);
        Shape shape = pairs.anchored().getShape();
        int height = (int) shape.get(2);
        int width = (int) shape.get(3);
        int cropHeight = Math.min(settings.cropSize(), height);
        int cropWidth = Math.min(settings.cropSize(), width);
        Random rng = new Random(settings.seed() + 1);
        long lastReport = System.nanoTime();
        double smoothed = Double.NaN;
        for (int step = 1; step <= settings.steps(); step++) {
            long[] rows = new long[settings.batchSize()];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = rng.nextInt((int) shape.get(0));
            }
            int y = rng.nextInt(height - cropHeight + 1);
            int x = rng.nextInt(width - cropWidth + 1);
            boolean flip = rng.nextBoolean();
            double loss;
            try (NDScope scope = new NDScope(); NDManager stepManager = manager.newSubManager()) {
                scope.suppressNotUsedWarning();
                NDArray index = stepManager.create(rows);
                NDIndex crop = new NDIndex(":, :, {}:{}, {}:{}", y, y + cropHeight, x, x + cropWidth);
                NDArray[] batch = new NDArray[3];
                NDArray[] all = {pairs.anchored(), pairs.normal(), pairs.masks()};
                for (int k = 0; k < 3; k++) {
                    NDArray picked = all[k].get(new NDIndex("{}", index)).get(crop);
                    batch[k] = flip ? picked.flip(3) : picked;
                    batch[k].attach(stepManager);
                }
                NDArray lossArray;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    lossArray = loss(weights, batch[0], batch[1], batch[2]);
                    collector.backward(lossArray);
                }
                loss = lossArray.getFloat();
                if (!Double.isFinite(loss)) {
                    throw new TrainingDivergedException("feature network loss", loss, step, null);
                }
                List<NDArray> grads = parameters.stream().map(NDArray::getGradient).toList();
                optimizer.step(grads, settings.learningRate(), step);
                grads.forEach(g -> g.subi(g));
            }
            smoothed = Double.isNaN(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;
            if (step == settings.steps() || (System.nanoTime() - lastReport) / 1e9 >= PROGRESS_SECONDS) {
                progress.printf(Locale.ROOT, "feature network: step %d/%d, loss %.4f%n", step, settings.steps(), smoothed);
                progress.flush();
                lastReport = System.nanoTime();
            }
        }
        return views;
    }

    /**
     * Mean over layers of: the mean cosine distance at normal positions, plus the mean shortfall from
     * the margin at anomalous ones (positions weighted by the mask's coverage of their cell).
     */
    NDArray loss(Map<String, NDArray> weights, NDArray anchored, NDArray normal, NDArray mask) {
        int deepest = ConvFeatureNet.LAYERS - 1;
        NDArray[] a = ConvFeatureNet.forward(weights, anchored, deepest);
        NDArray[] b = ConvFeatureNet.forward(weights, normal, deepest);
        NDArray total = null;
        for (int l = 0; l <= deepest; l++) {
            int s = ConvFeatureNet.stride(l);
            NDArray anomalous = Pool.avgPool2d(mask, new Shape(s, s), new Shape(s, s), new Shape(0, 0), false, true)
                    .squeeze(1);
            NDArray normalWeight = anomalous.neg().add(1f);
            NDArray dot = a[l].mul(b[l]).sum(new int[] {1});
            // ε inside the roots: a zero vector (a dead cell) must not give sqrt an infinite gradient.
            NDArray norms = a[l].square().sum(new int[] {1}).add(1e-8f).sqrt()
                    .mul(b[l].square().sum(new int[] {1}).add(1e-8f).sqrt());
            NDArray distance = dot.div(norms).neg().add(1f);
            NDArray normalTerm = distance.mul(normalWeight).sum().div(normalWeight.sum().add(1e-6f));
            NDArray anomalyTerm = Activation.relu(distance.neg().add((float) settings.margin()))
                    .mul(anomalous).sum().div(anomalous.sum().add(1e-6f));
            NDArray layer = normalTerm.add(anomalyTerm);
            total = total == null ? layer : total.add(layer);
        }
        return total.div(deepest + 1f);
    }
}
