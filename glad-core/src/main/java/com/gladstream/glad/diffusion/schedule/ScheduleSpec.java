package com.gladstream.glad.diffusion.schedule;

/** The serialisable description of a {@link NoiseSchedule}, stored in model metadata. */
public record ScheduleSpec(Kind kind, int trainSteps, double betaStart, double betaEnd) {

    public enum Kind { LINEAR, SCALED_LINEAR }

    /** DDPM's pixel-space default: linear β from 1e-4 to 0.02 over 1000 steps. */
    public static final ScheduleSpec DDPM_LINEAR = new ScheduleSpec(Kind.LINEAR, 1000, 1e-4, 0.02);

    public ScheduleSpec {
        if (kind == null) {
            throw new IllegalArgumentException("schedule kind is required");
        }
        if (trainSteps < 1) {
            throw new IllegalArgumentException("trainSteps must be positive, got " + trainSteps);
        }
        if (!(betaStart > 0 && betaStart <= betaEnd && betaEnd < 1)) {
            throw new IllegalArgumentException("need 0 < betaStart <= betaEnd < 1, got " + betaStart + ", " + betaEnd);
        }
    }
}
