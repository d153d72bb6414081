package com.gladstream.glad.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The layers of several extractors as one extractor, spec {@code <spec>+<spec>}: the anomaly map
 * averages the per-layer distances of all of them, so a defect either set of features sees
 * raises the map (docs/DESIGN.md A.3). Owns its parts.
 */
public final class CombinedFeatures implements FeatureExtractor {

    private final List<FeatureExtractor> parts;

    public CombinedFeatures(List<FeatureExtractor> parts) {
        if (parts.size() < 2) {
            throw new IllegalArgumentException("a combination needs at least two extractors, got " + parts.size());
        }
        this.parts = List.copyOf(parts);
    }

    @Override
    public NDList extract(NDArray images) {
        NDList layers = new NDList();
        for (FeatureExtractor part : parts) {
            layers.addAll(part.extract(images));
        }
        return layers;
    }

    @Override
    public String name() {
        return parts.stream().map(FeatureExtractor::name).collect(Collectors.joining(FeatureExtractors.COMBINE));
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (FeatureExtractor part : parts) {
            try {
                part.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
