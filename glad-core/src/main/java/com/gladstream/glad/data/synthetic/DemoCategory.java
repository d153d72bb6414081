package com.gladstream.glad.data.synthetic;

import com.gladstream.glad.data.MvtecCategory;
import java.nio.file.Path;

/**
 * The synthetic category {@code glad demo} and {@code glad quickstart} generate and train on with
 * {@code TrainingRecipe.demo()}: the generator's wood-like texture at 128 px, 60 normal training
 * images (51 to train on, 9 held out for calibration), 10 normal test images and 6 per defect type
 * (40 test images). Sixty rather than the generator's default forty gives calibration nine held-out
 * images instead of six, at no cost to training, whose length is in steps.
 * The recipe and these options were chosen together, on validation data (docs/RESULTS.md).
 */
public final class DemoCategory {

    /** The category folder's name. */
    public static final String NAME = "wood";

    private DemoCategory() {}

    /** The generator options of the demo category under {@code seed}. */
    public static SyntheticCategoryOptions options(long seed) {
        return new SyntheticCategoryOptions(NAME, SyntheticCategoryOptions.Kind.TEXTURE, 60, 10, 6, 128, seed);
    }

    /** Writes the demo category to {@code parentDir}/{@value #NAME} (which must not exist) and opens it. */
    public static MvtecCategory write(Path parentDir, long seed) {
        return SyntheticCategoryGenerator.write(parentDir.resolve(NAME), options(seed));
    }
}
