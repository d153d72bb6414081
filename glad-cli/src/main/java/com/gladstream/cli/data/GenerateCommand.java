package com.gladstream.cli.data;

import com.gladstream.glad.data.MvtecCategory;
import com.gladstream.glad.data.synthetic.SyntheticCategoryGenerator;
import com.gladstream.glad.data.synthetic.SyntheticCategoryOptions;
import com.gladstream.glad.data.synthetic.SyntheticCategoryOptions.Kind;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code glad generate}: writes a synthetic category, so everything can be tried without downloaded data. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a synthetic category in the MVTec layout, with defect masks.",
            "Writes DIR/NAME: a wood-like surface (texture) or a hex nut on a background (object), with"
                    + " scratches, stains, holes, missing pieces and colour contamination and their masks. The same seed"
                    + " always gives the same files."
        })
public final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the category into.")
    Path out;

    @Option(names = "--category", paramLabel = "NAME",
            description = "Category folder name (default: wood for texture, nut for object).")
    String category;

    @Option(names = "--kind", defaultValue = "texture", paramLabel = "texture|object",
            description = "A textured surface or an object (default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--size", defaultValue = "256", paramLabel = "PX", description = "Image side (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--train", defaultValue = "40", paramLabel = "N", description = "Normal training images (default: ${DEFAULT-VALUE}).")
    int train;

    @Option(names = "--test-good", defaultValue = "10", paramLabel = "N", description = "Normal test images (default: ${DEFAULT-VALUE}).")
    int testGood;

    @Option(names = "--test-defect", defaultValue = "6", paramLabel = "N",
            description = "Test images per defect type (default: ${DEFAULT-VALUE}).")
    int testDefect;

    @Override
    public Integer call() {
        Kind k = parseKind(kind);
        String name = category != null ? category : k == Kind.TEXTURE ? "wood" : "nut";
        SyntheticCategoryOptions options = new SyntheticCategoryOptions(name, k, train, testGood, testDefect, size, seed);
        long start = System.nanoTime();
        MvtecCategory c = SyntheticCategoryGenerator.write(out.resolve(name), options);
        double seconds = (System.nanoTime() - start) / 1e9;

        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "wrote category %s (%s, %d px, seed %d) to %s in %.1f s%n",
                name, kind.toLowerCase(Locale.ROOT), size, seed, c.root(), seconds);
        w.printf(Locale.ROOT, "  train/good  %d images: %d for training, %d held out for calibration%n",
                train, c.trainSamples().size(), c.heldOutSamples().size());
        w.printf(Locale.ROOT, "  test/good   %d images%n", testGood);
        w.printf(Locale.ROOT, "  test        %d images per defect, with masks: %s%n",
                testDefect, String.join(", ", c.defectTypes()));
        w.printf(Locale.ROOT, "  data hash   %s%n", c.dataHash());
        w.flush();
        return 0;
    }

    private static Kind parseKind(String value) {
        for (Kind k : Kind.values()) {
            if (k.name().equalsIgnoreCase(value)) {
                return k;
            }
        }
        throw new IllegalArgumentException("--kind must be texture or object, got " + value);
    }
}
