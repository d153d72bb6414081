package com.gladstream.glad.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.gladstream.glad.diffusion.schedule.ScheduleSpec;
import com.gladstream.glad.diffusion.unet.UNetConfig;
import java.time.Instant;
import java.util.Map;

/**
 * Everything known about a trained model, stored as {@code metadata.json} next to its weights.
 *
 * @param version store version ("v3"), or null before the model is published
 * @param category product category the model was trained on
 * @param preset the {@link UNetConfig#preset} name the config came from ("custom" if none)
 * @param config the network's shape; the weights file must match it
 * @param dataHash {@link DataHash} of the training images
 * @param trainingSteps optimiser steps taken, including those of the model it was fine-tuned from
 * @param atp whether the Anomaly-oriented Training Paradigm was used (docs/DESIGN.md A.2)
 * @param trainSeconds wall-clock training time, summed over fine-tuning rounds
 * @param calibration decision settings; null until calibrated
 * @param metrics evaluation results by name (e.g. "I-AUROC"); may be empty
 * @param createdAt when these weights were produced
 * @param schedule the noise schedule the network was trained with
 * @param seed training seed
 * @param parentVersion version this model was fine-tuned from, or null
 */
public record ModelMetadata(
        String version,
        String category,
        String preset,
        UNetConfig config,
        String dataHash,
        long trainingSteps,
        boolean atp,
        double trainSeconds,
        Calibration calibration,
        Map<String, Double> metrics,
        Instant createdAt,
        ScheduleSpec schedule,
        long seed,
        String parentVersion) {

    @JsonCreator
    public ModelMetadata {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    /** Metadata of a model trained from scratch with DDPM's linear schedule. */
    public ModelMetadata(String version, String category, String preset, UNetConfig config, String dataHash,
            long trainingSteps, boolean atp, double trainSeconds, Calibration calibration,
            Map<String, Double> metrics, Instant createdAt) {
        this(version, category, preset, config, dataHash, trainingSteps, atp, trainSeconds, calibration, metrics,
                createdAt, ScheduleSpec.DDPM_LINEAR, 0L, null);
    }

    public ModelMetadata withVersion(String newVersion) {
        return new ModelMetadata(newVersion, category, preset, config, dataHash, trainingSteps, atp, trainSeconds,
                calibration, metrics, createdAt, schedule, seed, parentVersion);
    }

    /** The same model serving another category (a model is published under the category its metadata names). */
    public ModelMetadata withCategory(String newCategory) {
        return new ModelMetadata(version, newCategory, preset, config, dataHash, trainingSteps, atp, trainSeconds,
                calibration, metrics, createdAt, schedule, seed, parentVersion);
    }

    public ModelMetadata withCalibration(Calibration newCalibration) {
        return new ModelMetadata(version, category, preset, config, dataHash, trainingSteps, atp, trainSeconds,
                newCalibration, metrics, createdAt, schedule, seed, parentVersion);
    }

    public ModelMetadata withMetrics(Map<String, Double> newMetrics) {
        return new ModelMetadata(version, category, preset, config, dataHash, trainingSteps, atp, trainSeconds,
                calibration, newMetrics, createdAt, schedule, seed, parentVersion);
    }
}
