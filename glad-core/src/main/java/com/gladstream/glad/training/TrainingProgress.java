package com.gladstream.glad.training;

/**
 * A training run's state after a step.
 *
 * @param step steps done (1-based)
 * @param totalSteps steps the run will take
 * @param loss this step's loss
 * @param smoothedLoss exponential moving average of the loss (factor 0.98, bias-corrected)
 * @param stepsPerSecond measured over this run (resumed steps excluded)
 * @param etaSeconds estimated time to the last step
 * @param learningRate the learning rate used at this step
 */
public record TrainingProgress(long step, long totalSteps, double loss, double smoothedLoss,
        double stepsPerSecond, double etaSeconds, double learningRate) {}
