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
        return ofSorted(pos, neg);
    }

    /**
     * Sweeps the threshold from the highest score down over two ascending arrays, consuming every
     * score equal to the threshold from both sides before emitting a curve point.
     */
    static RankingMetrics ofSorted(double[] positivesAscending, double[] negativesAscending) {
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
        double rocArea = 0;
        double ap = 0;
        double f1Max = 0;
        while (i >= 0 || j >= 0) {
            double threshold = i < 0 ? negativesAscending[j]
                    : j < 0 ? positivesAscending[i]
                    : Math.max(positivesAscending[i], negativesAscending[j]);
            long prevTp = tp;
            long prevFp = fp;
            while (i >= 0 && positivesAscending[i] == threshold) {
                tp++;
                i--;
            }
            while (j >= 0 && negativesAscending[j] == threshold) {
                fp++;
                j--;
            }
            rocArea += (fp - prevFp) * (tp + prevTp) / 2.0;
            double precision = (double) tp / (tp + fp);
            ap += (tp - prevTp) / (double) totalPos * precision;
            f1Max = Math.max(f1Max, 2.0 * tp / (tp + fp + totalPos));
        }
        return new RankingMetrics(rocArea / ((double) totalPos * totalNeg), ap, f1Max);
    }

    static double checkedScore(double score, int index) {
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("score " + index + " is NaN");
        }
        // -0.0 and 0.0 must tie: sorting orders them, the sweep compares with ==.
        return score == 0 ? 0.0 : score;
    }
}
