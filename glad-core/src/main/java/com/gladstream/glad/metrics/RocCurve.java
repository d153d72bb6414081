package com.gladstream.glad.metrics;

import java.util.Arrays;

/**
 * ROC curve points for plotting: false-positive rate and true-positive rate as the threshold
 * sweeps from the highest score down, tied scores forming one step. Thinned to at most a given
 * number of points, always keeping (0,0) and (1,1).
 */
public record RocCurve(double[] fpr, double[] tpr) {

    public static RocCurve of(double[] scores, boolean[] labels, int maxPoints) {
        if (scores.length != labels.length || scores.length == 0) {
            throw new IllegalArgumentException("need as many labels as scores, and at least one");
        }
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        long positives = 0;
        for (boolean l : labels) {
            positives += l ? 1 : 0;
        }
        long negatives = labels.length - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException("a ROC curve needs both normal and anomalous samples");
        }
        double[] fpr = new double[scores.length + 1];
        double[] tpr = new double[scores.length + 1];
        int points = 1;
        long tp = 0;
        long fp = 0;
        for (int i = 0; i < order.length; i++) {
            if (labels[order[i]]) {
                tp++;
            } else {
                fp++;
            }
            boolean lastOfTie = i + 1 == order.length || scores[order[i + 1]] != scores[order[i]];
            if (lastOfTie) {
                fpr[points] = (double) fp / negatives;
                tpr[points] = (double) tp / positives;
                points++;
            }
        }
        return thin(Arrays.copyOf(fpr, points), Arrays.copyOf(tpr, points), Math.max(2, maxPoints));
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
