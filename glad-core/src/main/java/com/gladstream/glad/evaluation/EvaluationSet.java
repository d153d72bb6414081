package com.gladstream.glad.evaluation;

import com.gladstream.glad.data.ImageLoader;
import com.gladstream.glad.data.MvtecCategory;
import com.gladstream.glad.data.Sample;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.reconstruction.NoiseSeeds;
import com.gladstream.glad.synthesis.AnomalySynthesizer;
import com.gladstream.glad.synthesis.SyntheticAnomaly;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Labelled images to evaluate on, all at one square size: a category's test set, or a validation
 * set made from its held-out normal images and synthetic anomalies on them. The validation set is
 * how choices (feature extractor, settings) are made without ever looking at test images.
 */
public record EvaluationSet(String name, String kind, int size, List<Item> items) {

    /**
     * @param id stable identifier (relative path); also seeds the image's reconstruction noise
     * @param label "good" or the defect type
     * @param image RGB in [0,1] at the set's size
     * @param mask H×W in {0,1} at the set's size
     */
    public record Item(String id, String label, boolean anomalous, FloatImage image, float[] mask) {

        public long noiseSeed() {
            return NoiseSeeds.of(id);
        }
    }

    public EvaluationSet {
        items = List.copyOf(items);
        if (items.isEmpty()) {
            throw new IllegalArgumentException("evaluation set " + name + " has no images");
        }
    }

    /** The category's test images (test/good and every defect folder) with their ground-truth masks. */
    public static EvaluationSet testSet(MvtecCategory category, int size) {
        List<Item> items = new ArrayList<>();
        for (Sample s : category.testSamples()) {
            // Loaded as RGB for the overlays; the detector converts to the model's channels itself.
            items.add(new Item(category.relativePath(s), s.anomalous() ? s.defectType() : "good", s.anomalous(),
                    ImageLoader.load(s.path(), 3, size), ImageLoader.loadMask(s, size)));
        }
        return new EvaluationSet(category.name(), "test", size, items);
    }

    /**
     * The held-out normal images as good samples, and {@code anomaliesPerImage} synthetic anomalies
     * on each (DESIGN A.4, deterministic under {@code seed}) as defects with their masks.
     */
    public static EvaluationSet syntheticValidationSet(MvtecCategory category, int size, AnomalySynthesizer synthesizer,
            int anomaliesPerImage, long seed) {
        Random rng = new Random(seed);
        List<Item> good = new ArrayList<>();
        List<Item> anomalous = new ArrayList<>();
        for (Sample s : category.heldOutSamples()) {
            String id = category.relativePath(s);
            FloatImage normal = ImageLoader.load(s.path(), 3, size);
            good.add(new Item(id, "good", false, normal, new float[size * size]));
            for (int k = 0; k < anomaliesPerImage; k++) {
                SyntheticAnomaly a = synthesizer.synthesize(normal, rng);
                anomalous.add(new Item(id + "#synthetic-" + k, "synthetic", true, a.image(), a.mask()));
            }
        }
        List<Item> items = new ArrayList<>(good);
        items.addAll(anomalous);
        return new EvaluationSet(category.name(), "validation", size, items);
    }
}
