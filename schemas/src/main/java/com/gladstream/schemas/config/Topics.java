package com.gladstream.schemas.config;

import java.util.List;

/**
 * The names of every topic GLAD Stream uses; the one place they are defined. Each name is the
 * setting {@code topic.<role>} (for example {@code topic.dead-letter}), default {@code glad.<role>}.
 *
 * @param images     camera frames in: key camera id, value {@code ImageEvent}
 * @param requests   validated frames: key category, value {@code InferenceRequest}
 * @param results    verdicts: key event id, value {@code AnomalyResult}
 * @param statistics windowed result statistics: key {@code scope:key@windowStart}, value {@code WindowStatistics}
 * @param deadLetter rejected input: key the original record key bytes, value {@code RejectedImage}
 * @param control    retrain requests and failures: key category, value {@code ControlEvent}
 * @param models     published model versions, compacted: key category, value {@code ModelPublished}
 * @param samples    NORMAL-labelled frames kept for retraining: key category, value {@code ImageEvent}
 */
public record Topics(
        String images,
        String requests,
        String results,
        String statistics,
        String deadLetter,
        String control,
        String models,
        String samples) {

    public static final Topics DEFAULTS = new Topics(
            "glad.images", "glad.requests", "glad.results", "glad.statistics",
            "glad.dead-letter", "glad.control", "glad.models", "glad.samples");

    public Topics {
        requireName(images, "images");
        requireName(requests, "requests");
        requireName(results, "results");
        requireName(statistics, "statistics");
        requireName(deadLetter, "dead-letter");
        requireName(control, "control");
        requireName(models, "models");
        requireName(samples, "samples");
    }

    /** The topic names configured in {@code config}, each falling back to its default. */
    public static Topics from(ServiceConfig config) {
        return new Topics(
                config.string("topic.images", DEFAULTS.images),
                config.string("topic.requests", DEFAULTS.requests),
                config.string("topic.results", DEFAULTS.results),
                config.string("topic.statistics", DEFAULTS.statistics),
                config.string("topic.dead-letter", DEFAULTS.deadLetter),
                config.string("topic.control", DEFAULTS.control),
                config.string("topic.models", DEFAULTS.models),
                config.string("topic.samples", DEFAULTS.samples));
    }

    /** Every topic name, in declaration order. */
    public List<String> all() {
        return List.of(images, requests, results, statistics, deadLetter, control, models, samples);
    }

    // Kafka's own rule: up to 249 characters from [a-zA-Z0-9._-], and not "." or "..".
    private static void requireName(String name, String role) {
        if (name == null || !name.matches("[a-zA-Z0-9._-]{1,249}") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("topic." + role + " = '" + name
                    + "' is not a valid Kafka topic name (1-249 characters from a-z, A-Z, 0-9, '.', '_', '-')");
        }
    }
}
