package com.gladstream.glad.reconstruction;

import com.gladstream.glad.reconstruction.ReconstructionResult.StepScore;
import com.gladstream.glad.scoring.Quantiles;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * ADS's trigger thresholds: an image triggers at a compared step t when s_t > δ_t (docs/DESIGN.md A.1).
 * {@link AdsCalibrator} gives one δ_t per compared step, because the scale of s_t changes with t;
 * one δ for every step is the form tests, "never trigger" and models calibrated before per-step
 * thresholds use. Exactly one of the two components is given.
 *
 * @param byStep δ_t by timestep, highest step first; empty when {@code everyStep} applies
 * @param everyStep the δ of every step; NaN when {@code byStep} is given
 */
public record StepThresholds(SortedMap<Integer, Double> byStep, double everyStep) {

    public StepThresholds {
        SortedMap<Integer, Double> copy = new TreeMap<>(Comparator.reverseOrder());
        copy.putAll(byStep);
        byStep = Collections.unmodifiableSortedMap(copy);
        if (byStep.isEmpty() == Double.isNaN(everyStep)) {
            throw new IllegalArgumentException("ADS thresholds need either a δ per step or one δ for every step, got "
                    + byStep + " and " + everyStep);
        }
        byStep.forEach((t, delta) -> {
            if (delta == null || Double.isNaN(delta)) {
                throw new IllegalArgumentException("ADS threshold of step " + t + " is " + delta);
            }
        });
    }

    /** The same δ at every step. */
    public static StepThresholds uniform(double delta) {
        if (Double.isNaN(delta)) {
            throw new IllegalArgumentException("ADS threshold is NaN");
        }
        return new StepThresholds(Collections.emptySortedMap(), delta);
    }

    /** δ_t by timestep; a step without one has no threshold ({@link #at} refuses it). */
    public static StepThresholds perStep(Map<Integer, Double> deltas) {
        return new StepThresholds(new TreeMap<>(deltas), Double.NaN);
    }

    /** δ_t of timestep {@code t}. */
    public double at(int t) {
        if (byStep.isEmpty()) {
            return everyStep;
        }
        Double delta = byStep.get(t);
        if (delta == null) {
            throw new IllegalArgumentException("no ADS threshold for step " + t + "; calibrated steps: " + byStep.keySet());
        }
        return delta;
    }

    /**
     * Where ADS would trigger on a trace recorded with triggers off: the first step after the first
     * (which never triggers) whose s_t exceeds δ_t, or −1 if none does. Up to its trigger a
     * triggered run is the same run, so this is the step the real run triggers at.
     */
    public int firstTrigger(List<StepScore> trace) {
        for (int k = 1; k < trace.size(); k++) {
            StepScore s = trace.get(k);
            if (s.score() > at(s.timestep())) {
                return s.timestep();
            }
        }
        return -1;
    }

    public boolean covers(int t) {
        return byStep.isEmpty() || byStep.containsKey(t);
    }

    /** One number for display: the median δ_t over the steps, or the δ of every step. */
    public double median() {
        return byStep.isEmpty() ? everyStep : Quantiles.of(byStep.values().stream().mapToDouble(d -> d).toArray(), 0.5);
    }
}
