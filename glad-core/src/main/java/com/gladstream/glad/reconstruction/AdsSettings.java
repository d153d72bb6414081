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
 */
public record AdsSettings(
        StepThresholds deltas, int minStep, int compareEvery, double saffScale, double saffOffset, boolean secondPass) {

    public AdsSettings {
        if (deltas == null || compareEvery < 1 || !Double.isFinite(saffScale) || !Double.isFinite(saffOffset)) {
            throw new IllegalArgumentException("invalid ADS settings: deltas " + deltas + ", compareEvery " + compareEvery
                    + ", SAFF " + saffScale + "/" + saffOffset);
        }
    }

    /** δ_t and t_min with the defaults: compare every step, SAFF scale 1 and offset 0, one pass. */
    public static AdsSettings of(StepThresholds deltas, int minStep) {
        return new AdsSettings(deltas, minStep, 1, 1.0, 0.0, false);
    }

    /** The same δ at every step, t_min and the defaults of {@link #of(StepThresholds, int)}. */
    public static AdsSettings of(double delta, int minStep) {
        return of(StepThresholds.uniform(delta), minStep);
    }

    /**
     * Settings that never trigger and take x0 = x_{t→0} below {@code minStep} (0: never), for
     * recording the step scores of normal images during calibration.
     */
    public AdsSettings observing(int observedMinStep) {
        return withThresholds(StepThresholds.uniform(Double.POSITIVE_INFINITY), observedMinStep);
    }

    public AdsSettings withThresholds(StepThresholds newDeltas, int newMinStep) {
        return new AdsSettings(newDeltas, newMinStep, compareEvery, saffScale, saffOffset, secondPass);
    }

    /**
     * SAFF off: a triggered image takes the normal estimate x̂_{t→0} whole (m ≡ 1), the ablation's
     * "without SAFF" rows. sigmoid(40) rounds to 1 in float, so the fusion reduces to x̂_{t→0} exactly.
     */
    public AdsSettings withoutSaff() {
        return new AdsSettings(deltas, minStep, compareEvery, 0.0, 40.0, secondPass);
    }
}
