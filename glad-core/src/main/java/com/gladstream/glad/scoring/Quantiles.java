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
}
