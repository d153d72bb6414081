package com.gladstream.glad.training;

import java.nio.file.Path;

/** Training stopped because the loss or the gradients stopped being finite. */
public class TrainingDivergedException extends RuntimeException {

    private final long step;
    private final Path lastGoodCheckpoint;

    public TrainingDivergedException(String what, double value, long step, Path lastGoodCheckpoint) {
        super(what + " became " + (Double.isNaN(value) ? "NaN" : "infinite") + " at step " + step + "; "
                + (lastGoodCheckpoint == null ? "no checkpoint was written" : "last good checkpoint kept at " + lastGoodCheckpoint));
        this.step = step;
        this.lastGoodCheckpoint = lastGoodCheckpoint;
    }

    public long step() {
        return step;
    }

    /** The newest checkpoint, untouched by the failed step; null if none was written. */
    public Path lastGoodCheckpoint() {
        return lastGoodCheckpoint;
    }
}
