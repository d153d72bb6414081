package com.gladstream.cli.demo;

import com.gladstream.glad.data.MvtecCategory;
import com.gladstream.glad.data.synthetic.DemoCategory;
import com.gladstream.glad.model.DataHash;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.model.ModelLoadException;
import com.gladstream.glad.model.ModelStore;
import com.gladstream.glad.training.CategoryTrainer;
import com.gladstream.glad.training.TrainingRecipe;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo's data and model: a given category or the generated one, and a given model or one
 * trained with {@link TrainingRecipe#demo()} and cached under a key of the recipe and the
 * category's data hash, so the second run starts in seconds and a changed recipe or data retrains.
 */
public final class DemoModels {

    /** Where generated data and trained models are kept between runs unless told otherwise. */
    public static final Path DEFAULT_CACHE = Path.of(System.getProperty("user.home"), ".cache", "glad-stream", "demo");

    private static final long DEMO_SEED = 1;

    private DemoModels() {}

    public static MvtecCategory category(Path data, Path cache, PrintWriter log) {
        if (data != null) {
            return MvtecCategory.open(data);
        }
        // Keyed by the generator's options, so a changed demo category is generated afresh.
        Path parent = cache.resolve("data").resolve(DataHash.sha256Hex(DemoCategory.options(DEMO_SEED).toString())
                .substring(0, 12));
        Path generated = parent.resolve(DemoCategory.NAME);
        if (!Files.isDirectory(generated)) {
            log.println("demo: generating the " + DemoCategory.NAME + " category in " + generated);
            log.flush();
            return DemoCategory.write(parent, DEMO_SEED);
        }
        return MvtecCategory.open(generated);
    }

    public static GladModel model(MvtecCategory category, Path modelDir, Path cache, PrintWriter log) throws ModelLoadException {
        if (modelDir != null) {
            return ModelStore.load(modelDir);
        }
        TrainingRecipe recipe = TrainingRecipe.demo();
        Path cached = cache.resolve("models").resolve(category.name() + "-"
                + DataHash.sha256Hex(recipe + "\n" + category.dataHash()).substring(0, 16));
        if (Files.isDirectory(cached)) {
            log.println("demo: using the model trained on an earlier run, " + cached);
            log.flush();
            return ModelStore.load(cached);
        }
        log.println("demo: training a " + recipe.preset() + " model on " + category.name() + " (" + recipe.steps()
                + " steps, cached in " + cached + " for the next run)");
        log.flush();
        try (GladModel trained = CategoryTrainer.trainAndCalibrate(category.root(), recipe, log)) {
            ModelStore.save(trained, cached);
        }
        return ModelStore.load(cached);
    }
}
