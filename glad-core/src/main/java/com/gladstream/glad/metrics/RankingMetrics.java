package com.gladstream.glad.metrics;

import java.util.Arrays;

/**
 * Threshold-free ranking metrics of scores against binary labels: ROC AUC, average precision and
 * the best F1 over all thresholds.
 *
 * <p>The definitions match scikit-learn: {@code roc_auc_score} (trapezoidal ROC), {@code
 * average_precision_score} (step-wise sum of precision times recall increments, no
 * interpolation) and the maximum of 2PR/(P+R) along {@code precision_recall_curve}. Tied scores
 * share one threshold, so they form a single (diagonal) ROC step and a single PR point.
 */
public record RankingMetrics(double auroc, double averagePrecision, double f1Max) {

    /** Scores of any sign; higher means more anomalous. Labels: true = anomalous (positive). */
    public static RankingMetrics of(double[] scores, boolean[] labels) {
        double[][] split = splitSorted(scores, labels);
        return ofSorted(split[0], split[1]);
    }

    /** Receives the cumulative true and false positives after each distinct threshold, highest first. */
    @FunctionalInterface
    interface OperatingPoints {
        void accept(long truePositives, long falsePositives);
    }

    /** The positives' and the negatives' scores, each sorted ascending: {@code {positives, negatives}}. */
    static double[][] splitSorted(double[] scores, boolean[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(
                    "got " + scores.length + " scores but " + labels.length + " labels");
        }
        int positives = 0;
        for (boolean label : labels) {
            positives += label ? 1 : 0;
        }
        double[] pos = new double[positives];
        double[] neg = new double[scores.length - positives];
        int p = 0;
        int n = 0;
        for (int i = 0; i < scores.length; i++) {
            double s = checkedScore(scores[i], i);
            if (labels[i]) {
                pos[p++] = s;
            } else {
                neg[n++] = s;
            }
        }
        Arrays.sort(pos);
        Arrays.sort(neg);
        return new double[][] {pos, neg};
    }

    static RankingMetrics ofSorted(double[] positivesAscending, double[] negativesAscending) {
        long totalPos = positivesAscending.length;
        long totalNeg = negativesAscending.length;
        double[] sums = new double[3]; // ROC area, AP, F1max
        long[] previous = new long[2]; // tp, fp of the previous operating point
        sweep(positivesAscending, negativesAscending, (tp, fp) -> {
            sums[0] += (fp - previous[1]) * (tp + previous[0]) / 2.0;
            double precision = (double) tp / (tp + fp);
            sums[1] += (tp - previous[0]) / (double) totalPos * precision;
            sums[2] = Math.max(sums[2], 2.0 * tp / (tp + fp + totalPos));
            previous[0] = tp;
            previous[1] = fp;
        });
        return new RankingMetrics(sums[0] / ((double) totalPos * totalNeg), sums[1], sums[2]);
    }

    /**
     * Sweeps the threshold from the highest score down over two ascending arrays, consuming every
     * score equal to the threshold from both sides before emitting an operating point.
     *
     * @throws IllegalArgumentException unless both sides are non-empty
     */
    static void sweep(double[] positivesAscending, double[] negativesAscending, OperatingPoints visitor) {
        long totalPos = positivesAscending.length;
        long totalNeg = negativesAscending.length;
        if (totalPos == 0 && totalNeg == 0) {
            throw new IllegalArgumentException("no scores to evaluate");
        }
        if (totalPos == 0 || totalNeg == 0) {
            throw new IllegalArgumentException("metrics need both normal and anomalous samples, got "
                    + totalNeg + " normal and " + totalPos + " anomalous");
        }
        int i = positivesAscending.length - 1;
        int j = negativesAscending.length - 1;
        long tp = 0;
        long fp = 0;
        while (i >= 0 || j >= 0) {
            double threshold = i < 0 ? negativesAscending[j]
                    : j < 0 ? positivesAscending[i]
                    : Math.max(positivesAscending[i], negativesAscending[j]);
            while (i >= 0 && positivesAscending[i] == threshold) {
                tp++;
                i--;
            }
            while (j >= 0 && negativesAscending[j] == threshold) {
                fp++;
                j--;
            }
            visitor.accept(tp, fp);
        }
    }

    static double checkedScore(double score, int index) {
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("score " + index + " is NaN");
        }
        // -0.0 and 0.0 must tie: sorting orders them, the sweep compares with ==.
        return score == 0 ? 0.0 : score;
    }
}
