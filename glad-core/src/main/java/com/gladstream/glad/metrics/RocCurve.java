package com.gladstream.glad.metrics;

import java.util.Arrays;

/**
 * ROC curve points for plotting: false-positive rate and true-positive rate as the threshold
 * sweeps from the highest score down, tied scores forming one step (the same sweep as
 * {@link RankingMetrics}). Thinned to at most a given number of points, keeping both ends.
 */
public record RocCurve(double[] fpr, double[] tpr) {

    public static RocCurve of(double[] scores, boolean[] labels, int maxPoints) {
        double[][] split = RankingMetrics.splitSorted(scores, labels);
        double positives = split[0].length;
        double negatives = split[1].length;
        double[] fpr = new double[scores.length + 1];
        double[] tpr = new double[scores.length + 1];
        int[] points = {1};
        RankingMetrics.sweep(split[0], split[1], (tp, fp) -> {
            fpr[points[0]] = fp / negatives;
            tpr[points[0]] = tp / positives;
            points[0]++;
        });
        return thin(Arrays.copyOf(fpr, points[0]), Arrays.copyOf(tpr, points[0]), Math.max(2, maxPoints));
    }

    private static RocCurve thin(double[] fpr, double[] tpr, int maxPoints) {
        if (fpr.length <= maxPoints) {
            return new RocCurve(fpr, tpr);
        }
        double[] f = new double[maxPoints];
        double[] t = new double[maxPoints];
        for (int i = 0; i < maxPoints; i++) {
            int src = (int) Math.round((double) i * (fpr.length - 1) / (maxPoints - 1));
            f[i] = fpr[src];
            t[i] = tpr[src];
        }
        return new RocCurve(f, t);
    }
}
