package com.gladstream.cli.data;

import com.gladstream.glad.data.DataException;
import com.gladstream.glad.data.ImageLoader;
import com.gladstream.glad.data.MvtecCategory;
import com.gladstream.glad.data.PngWriter;
import com.gladstream.glad.data.Sample;
import com.gladstream.glad.data.StagedFolder;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.image.ImageSize;
import com.gladstream.glad.synthesis.AnomalySynthesizer;
import com.gladstream.glad.synthesis.SynthesisConfig;
import com.gladstream.glad.synthesis.SyntheticAnomaly;
import com.gladstream.glad.synthesis.TextureSource;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code glad synth}: writes synthetic anomalies (ATP's training input) for a person to look at. */
@Command(
        name = "synth",
        mixinStandardHelpOptions = true,
        description = {
            "Writes examples of the anomaly synthesis that ATP training uses, with a contact sheet.",
            "Synthesises anomalies on normal images (Perlin masks; texture or self-shuffle sources) and writes"
                    + " image_XX.png, mask_XX.png and contact_sheet.png (rows of normal | anomalous | mask) to a new"
                    + " folder."
        })
public final class SynthCommand implements Callable<Integer> {

    static final int MAX_COUNT = 100;
    private static final int GAP = 4;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "A category in the MVTec layout (its training images are used) or a folder of images.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "New folder for the examples.")
    Path out;

    @Option(names = "--textures", paramLabel = "DIR",
            description = "Folder of texture images used as anomaly sources; without it the image itself is shuffled.")
    Path textures;

    @Option(names = "--count", defaultValue = "8", paramLabel = "N", description = "Examples to write (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--size", defaultValue = "256", paramLabel = "PX", description = "Image side (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--foreground",
            description = "Place anomalies only where pixels differ from the border colour (objects on a plain background).")
    boolean foreground;

    @Override
    public Integer call() {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("--count must be in [1, " + MAX_COUNT + "], got " + count);
        }
        List<Path> normals = normalImages(data);
        SynthesisConfig config = SynthesisConfig.defaults().withForeground(
                foreground ? SynthesisConfig.Foreground.BORDER_COLOUR : SynthesisConfig.Foreground.ANYWHERE);
        TextureSource textureSource = textures == null ? null : TextureSource.load(textures, 3, ImageSize.square(size));
        AnomalySynthesizer synthesizer = new AnomalySynthesizer(config, textureSource);

        Random rng = new Random(seed);
        double[] coverage = new double[1];
        StagedFolder.write(out, folder -> {
            BufferedImage sheet = new BufferedImage(3 * size + 2 * GAP, count * size + (count - 1) * GAP,
                    BufferedImage.TYPE_INT_RGB);
            Graphics2D g = sheet.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
            String pattern = "%0" + Math.max(2, String.valueOf(count - 1).length()) + "d";
            for (int i = 0; i < count; i++) {
                FloatImage normal = ImageLoader.load(normals.get(rng.nextInt(normals.size())), 3, size);
                SyntheticAnomaly anomaly = synthesizer.synthesize(normal, rng);
                String index = String.format(Locale.ROOT, pattern, i);
                PngWriter.writeImage(anomaly.image(), folder.resolve("image_" + index + ".png"));
                PngWriter.writeMask(anomaly.mask(), size, size, folder.resolve("mask_" + index + ".png"));
                int y = i * (size + GAP);
                g.drawImage(normal.toBufferedImage(), 0, y, null);
                g.drawImage(anomaly.image().toBufferedImage(), size + GAP, y, null);
                g.drawImage(PngWriter.maskImage(anomaly.mask(), size, size), 2 * (size + GAP), y, null);
                for (float m : anomaly.mask()) {
                    coverage[0] += m;
                }
            }
            g.dispose();
            PngWriter.write(sheet, folder.resolve("contact_sheet.png"));
        });

        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "wrote %d synthetic anomalies from %d normal images (%s) to %s%n", count, normals.size(),
                textureSource == null ? "self-shuffle sources" : textureSource.count() + " textures and self-shuffle",
                out.toAbsolutePath().normalize());
        w.printf(Locale.ROOT, "  mean mask coverage %.1f%%; look at %s%n",
                100 * coverage[0] / ((double) count * size * size), out.resolve("contact_sheet.png"));
        w.flush();
        return 0;
    }

    /** The training images of a category, or the images directly in a plain folder. */
    private static List<Path> normalImages(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DataException("data folder not found: " + dir);
        }
        if (Files.isDirectory(dir.resolve("train"))) {
            return MvtecCategory.open(dir).trainSamples().stream().map(Sample::path).toList();
        }
        List<Path> images = ImageLoader.listImages(dir);
        if (images.isEmpty()) {
            throw new DataException("no images in " + dir + " (PNG, JPEG or BMP, or a category with train/good)");
        }
        return images;
    }
}
