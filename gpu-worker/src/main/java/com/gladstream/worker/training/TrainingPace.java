package com.gladstream.worker.training;

import com.gladstream.glad.training.TrainingListener;
import com.gladstream.glad.training.TrainingProgress;

/**
 * Keeps the training thread computing for at most a share of wall time (retrain.duty-cycle): after
 * each step that took d seconds it sleeps d·(1−c)/c. At 1 it never sleeps. How much inference gains
 * is in docs/BENCHMARKS.md.
 */
final class TrainingPace implements TrainingListener {

    private final double dutyCycle;
    private long stepStarted = System.nanoTime();

    TrainingPace(double dutyCycle) {
        this.dutyCycle = dutyCycle;
    }

    @Override
    public void onStep(TrainingProgress progress) {
        if (dutyCycle < 1) {
            long computed = System.nanoTime() - stepStarted;
            long pause = (long) (computed * (1 - dutyCycle) / dutyCycle);
            try {
                Thread.sleep(pause / 1_000_000, (int) (pause % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("retrain interrupted", e);
            }
        }
        stepStarted = System.nanoTime();
    }
}
