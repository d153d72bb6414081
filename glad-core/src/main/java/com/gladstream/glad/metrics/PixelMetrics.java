package com.gladstream.glad.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * Pixel-level metrics over a test set: P-AUROC, P-AP, P-F1max and AUPRO.
 *
 * <p>All metrics are exact. Normal pixels are sorted once as doubles; anomalous pixels are sorted
 * once as longs whose high half is the score (an order-preserving encoding of the float bits)
 * and whose low half is the pixel's ground-truth region. One descending sweep over both arrays
 * yields the ROC and PR curves, a second one the PRO curve.
 *
 * <p>AUPRO follows the MVTec AD evaluation: regions are the 8-connected components of each
 * ground-truth mask; at every distinct score threshold (the exact breakpoints of the curve) the
 * PRO is the mean over all regions of the fraction of the region at or above the threshold, and
 * the FPR is the fraction of all normal pixels at or above it. The curve starts at (0,0), is
 * integrated with the trapezoidal rule up to FPR {@value #PRO_FPR_LIMIT} (the last segment
 * interpolated linearly at exactly that FPR) and divided by {@value #PRO_FPR_LIMIT}.
 */
public record PixelMetrics(double auroc, double averagePrecision, double f1Max, double aupro) {

    public static final double PRO_FPR_LIMIT = 0.3;

    /**
     * @param anomalyMaps one H×W map per image, row-major, higher = more anomalous
     * @param masks one H×W ground-truth mask per image; pixels above 0.5 are anomalous (all zero
     *     for a good image)
     */
    public static PixelMetrics of(List<float[]> anomalyMaps, List<float[]> masks, int height, int width) {
        if (anomalyMaps.size() != masks.size()) {
            throw new IllegalArgumentException(
                    "got " + anomalyMaps.size() + " anomaly maps but " + masks.size() + " masks");
        }
        if (anomalyMaps.isEmpty()) {
            throw new IllegalArgumentException("no anomaly maps to evaluate");
        }
        int pixels = height * width;
        long anomalousCount = 0;
        for (int k = 0; k < masks.size(); k++) {
            checkLength(anomalyMaps.get(k), pixels, "anomaly map", k, height, width);
            checkLength(masks.get(k), pixels, "mask", k, height, width);
            for (float m : masks.get(k)) {
                anomalousCount += m > 0.5f ? 1 : 0;
            }
        }
        long normalCount = (long) pixels * masks.size() - anomalousCount;
        if (anomalousCount + normalCount > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many pixels for one evaluation: " + (anomalousCount + normalCount));
        }

        double[] normals = new double[(int) normalCount];
        long[] anomalousKeys = new long[(int) anomalousCount];
        int[] regionSizes = new int[0];
        int n = 0;
        int a = 0;
        for (int k = 0; k < masks.size(); k++) {
            float[] map = anomalyMaps.get(k);
            RegionLabels regions = RegionLabels.of(masks.get(k), height, width);
            int regionOffset = regionSizes.length;
            regionSizes = Arrays.copyOf(regionSizes, regionOffset + regions.count());
            System.arraycopy(regions.sizes(), 0, regionSizes, regionOffset, regions.count());
            int[] labels = regions.labels();
            for (int p = 0; p < pixels; p++) {
                if (Float.isNaN(map[p])) {
                    throw new IllegalArgumentException("anomaly map " + k + " is NaN at pixel " + p);
                }
                float score = map[p] == 0 ? 0f : map[p]; // -0.0 and 0.0 must tie
                if (labels[p] < 0) {
                    normals[n++] = score;
                } else {
                    anomalousKeys[a++] = ((long) sortableBits(score) << 32) | (regionOffset + labels[p]);
                }
            }
        }
        Arrays.sort(normals);
        Arrays.sort(anomalousKeys);

        double[] positives = new double[anomalousKeys.length];
        for (int i = 0; i < positives.length; i++) {
            positives[i] = scoreOf(anomalousKeys[i]);
        }
        RankingMetrics ranking = RankingMetrics.ofSorted(positives, normals);
        double aupro = aupro(anomalousKeys, regionSizes, normals);
        return new PixelMetrics(ranking.auroc(), ranking.averagePrecision(), ranking.f1Max(), aupro);
    }

    private static double aupro(long[] anomalousKeys, int[] regionSizes, double[] normalsAscending) {
        double normalCount = normalsAscending.length;
        int i = anomalousKeys.length - 1;
        int j = normalsAscending.length - 1;
        double coveredRegions = 0;
        long fp = 0;
        double prevFpr = 0;
        double prevPro = 0;
        double area = 0;
        while (i >= 0 || j >= 0) {
            double threshold = i < 0 ? normalsAscending[j]
                    : j < 0 ? scoreOf(anomalousKeys[i])
                    : Math.max(scoreOf(anomalousKeys[i]), normalsAscending[j]);
            while (i >= 0 && scoreOf(anomalousKeys[i]) == threshold) {
                coveredRegions += 1.0 / regionSizes[(int) anomalousKeys[i]];
                i--;
            }
            while (j >= 0 && normalsAscending[j] == threshold) {
                fp++;
                j--;
            }
            double fpr = fp / normalCount;
            double pro = Math.min(1.0, coveredRegions / regionSizes.length);
            if (fpr > PRO_FPR_LIMIT) {
                double proAtLimit = prevPro + (pro - prevPro) * (PRO_FPR_LIMIT - prevFpr) / (fpr - prevFpr);
                area += (prevPro + proAtLimit) / 2 * (PRO_FPR_LIMIT - prevFpr);
                break;
            }
            area += (prevPro + pro) / 2 * (fpr - prevFpr);
            prevFpr = fpr;
            prevPro = pro;
        }
        return area / PRO_FPR_LIMIT;
    }

    /** Float bits reordered so that signed integer order equals float order. */
    private static int sortableBits(float score) {
        int bits = Float.floatToIntBits(score);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    private static double scoreOf(long key) {
        int sortable = (int) (key >> 32);
        return Float.intBitsToFloat(sortable ^ ((sortable >> 31) & 0x7fffffff));
    }

    private static void checkLength(float[] values, int pixels, String what, int index, int height, int width) {
        if (values.length != pixels) {
            throw new IllegalArgumentException(what + " " + index + " has " + values.length
                    + " values, expected " + height + "x" + width);
        }
    }
}
