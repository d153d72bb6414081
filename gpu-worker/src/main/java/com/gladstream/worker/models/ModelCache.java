package com.gladstream.worker.models;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model serving each category. A new version is swapped in atomically: batches that began
 * with the old version finish with it (and their results carry its version), later batches get
 * the new one; no request fails or runs twice because of a swap.
 */
public final class ModelCache implements AutoCloseable {

    private final Map<String, ServingModel> serving = new ConcurrentHashMap<>();

    /** The category's model with a reference taken (release it after the batch), or empty when none is loaded. */
    public Optional<ServingModel> acquire(String category) {
        while (true) {
            ServingModel model = serving.get(category);
            if (model == null) {
                return Optional.empty();
            }
            if (model.tryAcquire()) {
                return Optional.of(model);
            }
            // closed between get and acquire: a newer one is in the map already
        }
    }

    /** Serves {@code model} for its category from now on; the version it replaces closes after its last batch. */
    public void install(ServingModel model) {
        ServingModel previous = serving.put(model.category(), model);
        if (previous != null) {
            previous.release();
        }
    }

    /** True while {@code model} is the one serving its category (no newer version was swapped in). */
    public boolean serves(ServingModel model) {
        return serving.get(model.category()) == model;
    }

    /** Category → serving version. */
    public Map<String, String> versions() {
        Map<String, String> versions = new TreeMap<>();
        serving.forEach((category, model) -> versions.put(category, model.version()));
        return versions;
    }

    public Optional<String> version(String category) {
        return Optional.ofNullable(serving.get(category)).map(ServingModel::version);
    }

    @Override
    public void close() {
        serving.values().forEach(ServingModel::release);
        serving.clear();
    }
}
