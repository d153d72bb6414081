package com.gladstream.glad.scoring;

import java.util.Arrays;

/** Sample quantiles, linearly interpolated between order statistics (numpy's default). */
public final class Quantiles {

    private Quantiles() {}

    public static double of(double[] values, double q) {
        if (values.length == 0 || !(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("need values and q in [0,1], got " + values.length + " values, q " + q);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /**
     * Φ⁻¹(p), the standard normal quantile, by Acklam's rational approximation (relative error
     * below 1.2e-9 over (0, 1)).
     */
    public static double standardNormal(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("the normal quantile needs p in (0,1), got " + p);
        }
        if (p > 1 - NORMAL_TAIL) {
            return -standardNormal(1 - p);
        }
        if (p < NORMAL_TAIL) {
            double q = Math.sqrt(-2 * Math.log(p));
            return polynomial(NORMAL_C, q) / (polynomial(NORMAL_D, q) * q + 1);
        }
        double q = p - 0.5;
        double r = q * q;
        return polynomial(NORMAL_A, r) * q / (polynomial(NORMAL_B, r) * r + 1);
    }

    private static final double NORMAL_TAIL = 0.02425;
    private static final double[] NORMAL_A = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
        1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    private static final double[] NORMAL_B = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
        6.680131188771972e+01, -1.328068155288572e+01};
    private static final double[] NORMAL_C = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
        -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    private static final double[] NORMAL_D = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
        3.754408661907416e+00};

    /** Horner's rule, highest coefficient first. */
    private static double polynomial(double[] coefficients, double x) {
        double sum = 0;
        for (double c : coefficients) {
            sum = sum * x + c;
        }
        return sum;
    }
}
