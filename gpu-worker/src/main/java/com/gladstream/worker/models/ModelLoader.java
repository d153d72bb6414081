package com.gladstream.worker.models;

import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.model.ModelLoadException;
import com.gladstream.glad.model.ModelStore;
import com.gladstream.glad.pipeline.DetectorSession;
import com.gladstream.schemas.ModelPublished;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Loads the model a {@code ModelPublished} event announces, from inside the model store only: an
 * announcement pointing elsewhere, or at a model of another category, is refused.
 */
public final class ModelLoader {

    private final Path storeRoot;
    private final int batchSize;

    public ModelLoader(Path storeRoot, int batchSize) {
        this.storeRoot = storeRoot;
        this.batchSize = batchSize;
    }

    public ServingModel load(ModelPublished announcement) throws ModelLoadException {
        Path dir = resolve(announcement.getUri());
        GladModel model = ModelStore.load(dir);
        try {
            if (!announcement.getCategory().equals(model.metadata().category())) {
                throw new ModelLoadException(dir + " holds a model of category '" + model.metadata().category()
                        + "', announced for '" + announcement.getCategory() + "'");
            }
            return new ServingModel(announcement.getCategory(), model, DetectorSession.open(model, batchSize));
        } catch (ModelLoadException | RuntimeException e) {
            model.close();
            if (e instanceof IllegalArgumentException) {
                throw new ModelLoadException(dir + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private Path resolve(String uri) throws ModelLoadException {
        Path dir;
        try {
            dir = uri.startsWith("file:") ? Path.of(URI.create(uri)) : storeRoot.resolve(uri);
            Path root = storeRoot.toRealPath();
            Path real = dir.toRealPath();
            if (!real.startsWith(root)) {
                throw new ModelLoadException(uri + " is outside the model store " + root);
            }
            return real;
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelLoadException("model " + uri + " cannot be found in the store " + storeRoot + ": " + e.getMessage(), e);
        }
    }
}
