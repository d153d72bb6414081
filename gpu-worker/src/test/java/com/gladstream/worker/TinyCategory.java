package com.gladstream.worker;

import com.gladstream.glad.data.MvtecCategory;
import com.gladstream.glad.data.Sample;
import com.gladstream.glad.data.synthetic.SyntheticCategoryGenerator;
import com.gladstream.glad.data.synthetic.SyntheticCategoryOptions;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.model.ModelStore;
import com.gladstream.glad.training.CategoryTrainer;
import com.gladstream.glad.training.TrainingRecipe;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A generated 32 px category and a {@code tiny} model trained and calibrated on it, made once per
 * test JVM and copied from there. The worker tests check delivery, not detection quality, so the
 * model is trained only briefly.
 */
public final class TinyCategory {

    static final String NAME = "tiles";
    private static final TrainingRecipe RECIPE = new TrainingRecipe("tiny", 40, 8, 0, 7L, 3, false, null,
            "unet-encoder", 300, 4, null);

    private static Path root;

    private TinyCategory() {}

    /** The generated category folder. */
    static synchronized MvtecCategory category() {
        return MvtecCategory.open(root().resolve("data").resolve(NAME));
    }

    /** A fresh copy of the trained model (the caller closes it); {@code seed} varies its weights. */
    public static synchronized GladModel model(long seed) {
        Path dir = root().resolve("model-" + seed);
        if (!Files.isDirectory(dir)) {
            StringWriter progress = new StringWriter();
            try (GladModel trained = CategoryTrainer.trainAndCalibrate(category().root(), RECIPE.withSeed(seed),
                    new PrintWriter(progress))) {
                ModelStore.save(trained, dir);
            }
        }
        try {
            return ModelStore.load(dir);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Sample> testSamples() {
        return category().testSamples();
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path root() {
        if (root == null) {
            try {
                root = Files.createTempDirectory("glad-worker-tests");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            SyntheticCategoryGenerator.write(root.resolve("data").resolve(NAME),
                    new SyntheticCategoryOptions(NAME, SyntheticCategoryOptions.Kind.TEXTURE, 12, 4, 1, 32, 5));
        }
        return root;
    }
}
