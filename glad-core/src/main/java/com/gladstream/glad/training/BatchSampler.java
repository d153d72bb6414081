package com.gladstream.glad.training;

import com.gladstream.glad.data.TrainingAugmentation;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.synthesis.AnomalySynthesizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Draws one step's samples: a random image, augmented, a random crop, an ATP anomaly with
 * probability p, a timestep and the noise. Everything comes from the step's own {@link Random},
 * so a step's batch depends only on the seed and the step number (which makes resume exact).
 */
final class BatchSampler {

    /**
     * One step's samples; {@code anomalous.get(i) == normal.get(i)} for clean samples, and
     * {@code anomalous == normal} when the whole batch is clean.
     */
    record Batch(List<FloatImage> normal, List<FloatImage> anomalous, int[] timesteps, float[] noise) {}

    private final List<FloatImage> images;
    private final int batchSize;
    private final int cropSize;
    private final TrainingAugmentation augmentation;
    private final AnomalySynthesizer synthesizer;
    private final double atpProbability;
    private final int trainSteps;

    /**
     * @param images training images, already at the model's input size
     * @param cropSize side of the random square crops; 0 for whole images
     * @param synthesizer required when {@code atpProbability > 0}
     */
    BatchSampler(List<FloatImage> images, int batchSize, int cropSize, TrainingAugmentation augmentation,
                 AnomalySynthesizer synthesizer, double atpProbability, int trainSteps) {
        this.images = images;
        this.batchSize = batchSize;
        this.cropSize = cropSize;
        this.augmentation = augmentation;
        this.synthesizer = synthesizer;
        this.atpProbability = atpProbability;
        this.trainSteps = trainSteps;
    }

    /** The random source of 1-based step {@code step} of a run seeded with {@code seed}. */
    static Random stepRandom(long seed, long step) {
        long mixed = (seed + step * 0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L;
        return new Random(mixed ^ (mixed >>> 31));
    }

    Batch sample(Random rng) {
        List<FloatImage> normal = new ArrayList<>(batchSize);
        List<FloatImage> anomalous = new ArrayList<>(batchSize);
        boolean anySynthetic = false;
        int[] timesteps = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            FloatImage image = augmentation.apply(images.get(rng.nextInt(images.size())), rng);
            FloatImage crop = crop(image, rng);
            normal.add(crop);
            boolean synthetic = atpProbability > 0 && rng.nextDouble() < atpProbability;
            anomalous.add(synthetic ? synthesizer.synthesize(crop, rng).image() : crop);
            anySynthetic |= synthetic;
            timesteps[i] = rng.nextInt(trainSteps);
        }
        FloatImage first = normal.get(0);
        float[] noise = new float[batchSize * first.data().length];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) rng.nextGaussian();
        }
        return new Batch(normal, anySynthetic ? anomalous : normal, timesteps, noise);
    }

    private FloatImage crop(FloatImage image, Random rng) {
        if (cropSize == 0 || (cropSize == image.height() && cropSize == image.width())) {
            return image;
        }
        int top = rng.nextInt(image.height() - cropSize + 1);
        int left = rng.nextInt(image.width() - cropSize + 1);
        FloatImage out = FloatImage.zeros(image.channels(), cropSize, cropSize);
        for (int c = 0; c < image.channels(); c++) {
            for (int y = 0; y < cropSize; y++) {
                System.arraycopy(image.data(), (c * image.height() + top + y) * image.width() + left,
                        out.data(), (c * cropSize + y) * cropSize, cropSize);
            }
        }
        return out;
    }
}
