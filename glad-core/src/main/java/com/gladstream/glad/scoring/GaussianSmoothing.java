package com.gladstream.glad.scoring;

/**
 * Separable Gaussian smoothing of anomaly maps, with mirrored borders (scipy's "reflect": the edge
 * pixel is repeated) and the kernel truncated at 4σ. The border rule keeps the operator symmetric,
 * so smoothing moves anomaly mass around but preserves the map's mean.
 */
public final class GaussianSmoothing {

    /** docs/DESIGN.md A.3: σ ≈ 4 pixels at 256 px, scaled with the map's resolution. */
    public static final double SIGMA_AT_256 = 4.0;

    private final double sigma;
    private final float[] kernel;

    public GaussianSmoothing(double sigma) {
        if (!(sigma >= 0)) {
            throw new IllegalArgumentException("sigma must be >= 0, got " + sigma);
        }
        this.sigma = sigma;
        this.kernel = kernel(sigma);
    }

    /** σ for a map of this size: {@code sigmaAt256 · min(H, W) / 256}. */
    public static GaussianSmoothing forResolution(double sigmaAt256, int height, int width) {
        return new GaussianSmoothing(sigmaAt256 * Math.min(height, width) / 256.0);
    }

    public double sigma() {
        return sigma;
    }

    /** The normalised 1-D kernel, 2r+1 taps with r = round(4σ). */
    public float[] kernel() {
        return kernel.clone();
    }

    public AnomalyMap apply(AnomalyMap map) {
        if (kernel.length == 1) {
            return map;
        }
        int h = map.height();
        int w = map.width();
        float[] rows = new float[h * w];
        float[] src = map.values();
        int r = kernel.length / 2;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float sum = 0;
                for (int k = -r; k <= r; k++) {
                    sum += kernel[k + r] * src[y * w + mirror(x + k, w)];
                }
                rows[y * w + x] = sum;
            }
        }
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float sum = 0;
                for (int k = -r; k <= r; k++) {
                    sum += kernel[k + r] * rows[mirror(y + k, h) * w + x];
                }
                out[y * w + x] = sum;
            }
        }
        return new AnomalyMap(h, w, out);
    }

    /** Index into [0, n) of position i after mirroring about the edges (period 2n). */
    static int mirror(int i, int n) {
        int period = 2 * n;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - 1 - m;
    }

    private static float[] kernel(double sigma) {
        int radius = (int) Math.round(4 * sigma);
        float[] k = new float[2 * radius + 1];
        double total = 0;
        for (int i = -radius; i <= radius; i++) {
            double v = radius == 0 ? 1 : Math.exp(-0.5 * i * i / (sigma * sigma));
            k[i + radius] = (float) v;
            total += v;
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= (float) total;
        }
        return k;
    }
}
