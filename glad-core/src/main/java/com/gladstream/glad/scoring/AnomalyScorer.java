package com.gladstream.glad.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.gladstream.glad.features.FeatureExtractor;
import java.util.ArrayList;
import java.util.List;

/**
 * D(a, b) of docs/DESIGN.md A.3 turned into smoothed per-pixel maps and image scores.
 *
 * <p>Per layer, {@link NearestNeighbourDistance} of the query's features against the reference's;
 * the layer maps are resized (bilinear) to the images' size and averaged, so the map's scale does
 * not depend on how many layers the extractor has. An optional pixel term adds
 * {@code pixelWeight}·|query − reference| (mean over channels, in [0,1] image units). The sum is
 * smoothed with σ = {@code sigmaAt256}·min(H,W)/256. The image score is the mean of the top
 * {@code topKFraction} of the map's pixels.
 *
 * <p>Both the ADS comparison of the reconstruction loop and the final detection use this one
 * scorer, so the step scores s_t and the image scores are on the same scale. Thread-safe if its
 * feature extractor is.
 */
public final class AnomalyScorer {

    /**
     * @param pixelWeight weight of the L1 pixel term; 0 for features only
     * @param sigmaAt256 smoothing σ at 256 px
     * @param topKFraction fraction of pixels averaged into the image score
     */
    public record Settings(double pixelWeight, double sigmaAt256, double topKFraction) {

        public static final Settings DEFAULTS = new Settings(0.0, GaussianSmoothing.SIGMA_AT_256, 0.01);

        public Settings {
            if (pixelWeight < 0 || sigmaAt256 < 0 || !(topKFraction > 0 && topKFraction <= 1)) {
                throw new IllegalArgumentException("invalid scorer settings: " + pixelWeight + ", " + sigmaAt256
                        + ", " + topKFraction);
            }
        }
    }

    private final FeatureExtractor features;
    private final Settings settings;

    public AnomalyScorer(FeatureExtractor features, Settings settings) {
        this.features = features;
        this.settings = settings;
    }

    public FeatureExtractor features() {
        return features;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * @param query N×C×H×W model-space images whose pixels are scored (the side that may hold an anomaly)
     * @param reference N×C×H×W model-space images they are matched against (the normal side)
     * @return one H×W map per image
     */
    public List<AnomalyMap> maps(NDArray query, NDArray reference) {
        return maps(features, query, reference);
    }

    /** As {@link #maps}, with the features of the ADS trigger ({@link FeatureExtractor#forTrigger()}): A_t. */
    public List<AnomalyMap> triggerMaps(NDArray query, NDArray reference) {
        return maps(features.forTrigger(), query, reference);
    }

    private List<AnomalyMap> maps(FeatureExtractor extractor, NDArray query, NDArray reference) {
        Shape shape = query.getShape();
        if (!shape.equals(reference.getShape())) {
            throw new IllegalArgumentException("query " + shape + " and reference " + reference.getShape() + " differ");
        }
        int n = (int) shape.get(0);
        int height = (int) shape.get(2);
        int width = (int) shape.get(3);
        float[][] sums = new float[n][height * width];
        try (NDManager scratch = query.getManager().newSubManager()) {
            NDArray both = query.concat(reference, 0);
            both.attach(scratch);
            NDList layers = extractor.extract(both);
            layers.attach(scratch);
            for (NDArray layer : layers) {
                NDArray distance = NearestNeighbourDistance.compute(layer.get(":" + n), layer.get(n + ":"));
                addResized(distance, sums, height, width, 1f / layers.size());
            }
            if (settings.pixelWeight() > 0) {
                NDArray l1 = query.sub(reference).abs().mean(new int[] {1}).mul(0.5f);
                l1.attach(scratch);
                addResized(l1, sums, height, width, (float) settings.pixelWeight());
            }
        }
        GaussianSmoothing smoothing = GaussianSmoothing.forResolution(settings.sigmaAt256(), height, width);
        List<AnomalyMap> maps = new ArrayList<>(n);
        for (float[] sum : sums) {
            maps.add(smoothing.apply(new AnomalyMap(height, width, sum)));
        }
        return maps;
    }

    public double score(AnomalyMap map) {
        return map.topKMean(settings.topKFraction());
    }

    /** Adds weight × each image's N×h×w map, resized to height×width, to its running sum. */
    private static void addResized(NDArray perImage, float[][] sums, int height, int width, float weight) {
        Shape s = perImage.getShape();
        int h = (int) s.get(1);
        int w = (int) s.get(2);
        float[] all = perImage.toFloatArray();
        for (int i = 0; i < sums.length; i++) {
            float[] one = new float[h * w];
            System.arraycopy(all, i * h * w, one, 0, h * w);
            float[] resized = new AnomalyMap(h, w, one).resize(height, width).values();
            for (int p = 0; p < resized.length; p++) {
                sums[i][p] += weight * resized[p];
            }
        }
    }
}
