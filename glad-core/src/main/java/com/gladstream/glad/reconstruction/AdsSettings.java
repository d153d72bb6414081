package com.gladstream.glad.reconstruction;

/**
 * Adaptive denoising steps (ADS) and spatial-adaptive feature fusion (SAFF), docs/DESIGN.md A.1.
 *
 * @param deltas δ_t: an image triggers at the first compared step t whose s_t exceeds δ_t
 * @param minStep t_min: below it an untriggered image is taken as normal and x0 = x_{t→0}
 * @param compareEvery compare the two estimates at every k-th step only (1 = every step), to
 *     spend fewer feature extractions; the first step is always compared
 * @param saffScale SAFF weight m = sigmoid(saffScale·A_t + saffOffset); the original code's
 *     scale 1, offset 0 keeps m in [0.5, 0.88] for maps in [0, 2]
 * @param saffOffset see saffScale
 * @param secondPass compute the input-anchored estimate with its own network pass ε_θ(x_t, t)
 *     (the paper's variant, twice the network cost) instead of reusing ε̂ of the normal estimate
 * @param earlyExit an untriggered image stops at its first compared step t ≤ t_min after the first
 *     step, its reconstruction being the input-anchored estimate x_{t→0} of that step; off, it runs
 *     every step and keeps x0 = x_{t→0} below t_min
 * @param probeSteps a probe of this many steps decides which images need the full reconstruction:
 *     with early exit, an untriggered image stops at the latest at the probe's last step, even above
 *     t_min (0 = no probe)
 * @param probeSpread false: the probe is the first {@code probeSteps} steps of the schedule (an
 *     untriggered image stops at its first compared step from the {@code probeSteps}-th on); true: it
 *     is {@code probeSteps} steps spread evenly over the schedule from T to its last step, DDIM jumping
 *     between them, and an image that triggers continues on the full schedule from there (every
 *     probe step is compared; {@code compareEvery} must be 1; without early exit an untriggered image
 *     still visits only the probe's steps)
 */
public record AdsSettings(StepThresholds deltas, int minStep, int compareEvery, double saffScale, double saffOffset,
        boolean secondPass, boolean earlyExit, int probeSteps, boolean probeSpread) {

    /**
     * What {@code glad train} calibrates and stores: compare every step, no early exit, no probe. Chosen on
     * validation sets: no setting that saves UNet evaluations held AUROC within 0.01 on all of them
     * (docs/RESULTS.md, "Fewer UNet evaluations per normal image").
     */
    public static final int DEFAULT_COMPARE_EVERY = 1;
    public static final boolean DEFAULT_EARLY_EXIT = false;
    public static final int DEFAULT_PROBE_STEPS = 0;
    public static final boolean DEFAULT_PROBE_SPREAD = false;

    public AdsSettings {
        if (deltas == null || compareEvery < 1 || !Double.isFinite(saffScale) || !Double.isFinite(saffOffset)
                || probeSteps < 0 || (probeSteps > 0 && !earlyExit && !probeSpread)
                || (probeSpread && (probeSteps < 2 || compareEvery != 1))) {
            throw new IllegalArgumentException("invalid ADS settings: deltas " + deltas + ", compareEvery " + compareEvery
                    + ", SAFF " + saffScale + "/" + saffOffset + ", early exit " + earlyExit + ", probe " + probeSteps
                    + (probeSpread ? " spread" : ""));
        }
    }

    /** δ_t and t_min with the plain loop: compare every step, SAFF scale 1 and offset 0, one pass, no early exit. */
    public static AdsSettings of(StepThresholds deltas, int minStep) {
        return new AdsSettings(deltas, minStep, 1, 1.0, 0.0, false, false, 0, false);
    }

    /** The same δ at every step, t_min and the settings of {@link #of(StepThresholds, int)}. */
    public static AdsSettings of(double delta, int minStep) {
        return of(StepThresholds.uniform(delta), minStep);
    }

    /** δ_t and t_min with the default comparison interval, early exit and probe; SAFF and passes as in {@link #of}. */
    public static AdsSettings defaults(StepThresholds deltas, int minStep) {
        return of(deltas, minStep)
                .withCost(DEFAULT_COMPARE_EVERY, DEFAULT_EARLY_EXIT, DEFAULT_PROBE_STEPS, DEFAULT_PROBE_SPREAD);
    }

    /**
     * Settings that never trigger and take x0 = x_{t→0} below {@code minStep} (0: never), for
     * recording the step scores of normal images during calibration. No early exit: a recorded trace
     * covers every compared step, and up to the exit an exiting run is the same run. A spread probe
     * stays: its steps are the ones an untriggered image visits.
     */
    public AdsSettings observing(int observedMinStep) {
        return new AdsSettings(StepThresholds.uniform(Double.POSITIVE_INFINITY), observedMinStep, compareEvery, saffScale,
                saffOffset, secondPass, false, probeSpread ? probeSteps : 0, probeSpread);
    }

    public AdsSettings withThresholds(StepThresholds newDeltas, int newMinStep) {
        return new AdsSettings(newDeltas, newMinStep, compareEvery, saffScale, saffOffset, secondPass, earlyExit,
                probeSteps, probeSpread);
    }

    /** These settings with another comparison interval, early exit and probe: what an image costs. */
    public AdsSettings withCost(int newCompareEvery, boolean newEarlyExit, int newProbeSteps, boolean newProbeSpread) {
        return new AdsSettings(deltas, minStep, newCompareEvery, saffScale, saffOffset, secondPass, newEarlyExit,
                newProbeSteps, newProbeSpread);
    }

    /**
     * SAFF off: a triggered image takes the normal estimate x̂_{t→0} whole (m ≡ 1), the ablation's
     * "without SAFF" rows. sigmoid(40) rounds to 1 in float, so the fusion reduces to x̂_{t→0} exactly.
     */
    public AdsSettings withoutSaff() {
        return new AdsSettings(deltas, minStep, compareEvery, 0.0, 40.0, secondPass, earlyExit, probeSteps, probeSpread);
    }
}
