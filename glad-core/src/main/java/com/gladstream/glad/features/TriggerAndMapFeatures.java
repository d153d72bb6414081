package com.gladstream.glad.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * One extractor for the ADS trigger and another for the final anomaly map, spec
 * {@code trigger=<spec>;map=<spec>}. What separates a synthetic anomaly left in the input-anchored
 * estimate from the normal estimate need not be what ranks whole images and localises real
 * defects best (docs/RESULTS.md, "A feature network learned per category"). Owns both.
 */
public final class TriggerAndMapFeatures implements FeatureExtractor {

    private final FeatureExtractor trigger;
    private final FeatureExtractor map;

    public TriggerAndMapFeatures(FeatureExtractor trigger, FeatureExtractor map) {
        this.trigger = trigger;
        this.map = map;
    }

    @Override
    public NDList extract(NDArray images) {
        return map.extract(images);
    }

    @Override
    public FeatureExtractor forTrigger() {
        return trigger;
    }

    @Override
    public String name() {
        return FeatureExtractors.TRIGGER + trigger.name() + FeatureExtractors.SEPARATOR + FeatureExtractors.MAP + map.name();
    }

    @Override
    public void close() {
        try (map) {
            trigger.close();
        }
    }
}
