package com.gladstream.glad.evaluation;

import com.gladstream.glad.data.DataException;
import com.gladstream.glad.data.ImageLoader;
import com.gladstream.glad.data.ModelInput;
import com.gladstream.glad.data.MvtecCategory;
import com.gladstream.glad.data.Sample;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.image.ImageSize;
import com.gladstream.glad.reconstruction.NoiseSeeds;
import com.gladstream.glad.synthesis.AnomalyGenerator;
import com.gladstream.glad.synthesis.SyntheticAnomaly;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Labelled images to evaluate on: a category's test set, or a validation set made from its held-out
 * normal images and synthetic anomalies on them. The validation set is how choices (feature
 * extractor, settings) are made without ever looking at test images.
 *
 * <p>Images are prepared for the model once, by {@link ModelInput#prepare} from the decoded file, so
 * an evaluated image has exactly the pixels calibration and detection give the same file. Masks are
 * on the set's own grid ({@code grid}), where the pixel metrics are computed.
 *
 * @param grid the pixel-metric grid of the masks
 */
public record EvaluationSet(String name, String kind, ImageSize grid, List<Item> items) {

    /**
     * @param id stable identifier (relative path); also seeds the image's reconstruction noise
     * @param label "good" or the defect type
     * @param image RGB in [0,1] at the model's input size (the detector converts channels itself)
     * @param mask H×W in {0,1} on the set's grid
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

    /**
     * The category's test images (test/good and every defect folder) with their ground-truth masks.
     *
     * @param grid the pixel-metric grid
     * @param input the model's input size, which the images are prepared for
     * @throws DataException when the category has no test images
     */
    public static EvaluationSet testSet(MvtecCategory category, ImageSize grid, ImageSize input) {
        if (category.testSamples().isEmpty()) {
            throw new DataException("no test images in " + category.root().resolve("test")
                    + " (training needs only train/good; evaluating on test images needs test/)");
        }
        List<Item> items = new ArrayList<>();
        for (Sample s : category.testSamples()) {
            // RGB for the overlays; the detector converts to the model's channels itself.
            items.add(new Item(category.relativePath(s), s.anomalous() ? s.defectType() : "good", s.anomalous(),
                    ModelInput.load(s.path(), 3, input), ImageLoader.loadMask(s, grid)));
        }
        return new EvaluationSet(category.name(), "test", grid, items);
    }

    /**
     * The held-out normal images as good samples, and {@code anomaliesPerImage} synthetic anomalies
     * on each (docs/DESIGN.md A.4, deterministic under {@code seed}) as defects with their masks. Anomalies are
     * painted at the model's input size, on exactly the pixels calibration sees.
     *
     * @param grid the pixel-metric grid
     * @param input the model's input size, which the images are prepared for
     */
    public static EvaluationSet syntheticValidationSet(MvtecCategory category, ImageSize grid, ImageSize input,
            AnomalyGenerator synthesizer, int anomaliesPerImage, long seed) {
        Random rng = new Random(seed);
        String defectType = "synthetic-" + synthesizer.family().name().toLowerCase(Locale.ROOT);
        List<Item> good = new ArrayList<>();
        List<Item> anomalous = new ArrayList<>();
        for (Sample s : category.heldOutSamples()) {
            String id = category.relativePath(s);
            FloatImage normal = ModelInput.load(s.path(), 3, input);
            good.add(new Item(id, "good", false, normal, new float[grid.pixels()]));
            for (int k = 0; k < anomaliesPerImage; k++) {
                SyntheticAnomaly a = synthesizer.synthesize(normal, rng);
                anomalous.add(new Item(id + "#synthetic-" + k, defectType, true, a.image(),
                        maskOnGrid(a.mask(), input, grid)));
            }
        }
        List<Item> items = new ArrayList<>(good);
        items.addAll(anomalous);
        return new EvaluationSet(category.name(), "validation", grid, items);
    }

    /** A {0,1} mask resized to the metric grid the way {@link ImageLoader#loadMask} resizes ground truth. */
    private static float[] maskOnGrid(float[] mask, ImageSize from, ImageSize grid) {
        float[] out = new FloatImage(1, from.height(), from.width(), mask).resize(grid.height(), grid.width()).data();
        for (int i = 0; i < out.length; i++) {
            out[i] = out[i] >= 0.5f ? 1f : 0f;
        }
        return out;
    }
}
