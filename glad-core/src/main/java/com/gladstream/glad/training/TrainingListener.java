package com.gladstream.glad.training;

import java.nio.file.Path;

/** Observes a training run (a CLI progress bar, a worker reporting to the control topic). */
public interface TrainingListener {

    void onStep(TrainingProgress progress);

    default void onCheckpoint(long step, Path checkpoint) {}

    default void onFinished(TrainingProgress last) {}
}
