package com.gladstream.glad.data.synthetic;

import com.gladstream.glad.data.DataException;
import com.gladstream.glad.data.MvtecCategory;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Writes a synthetic category in the MVTec layout, made entirely in code, so tests, the
 * quickstart and the demo need no downloaded data: normal images of a wood-like surface or of a
 * hex nut, and test images with scratches, stains, holes, missing pieces and colour
 * contamination, each with its 0/255 mask. Images are 8-bit RGB PNGs.
 *
 * <p>Every image has its own random stream derived from the seed, its split and its index, so
 * the same options give byte-identical files, and adding images leaves the others unchanged.
 */
public final class SyntheticCategoryGenerator {

    private SyntheticCategoryGenerator() {}

    /** The defect folder names the generator writes, in order. */
    public static List<String> defectTypes() {
        return Stream.of(Defect.values()).map(Defect::folder).toList();
    }

    /**
     * Writes the category to {@code categoryDir} (which must not exist yet) and opens it. The files
     * are written to a temporary sibling folder that is moved into place at the end, so a failed
     * run leaves nothing behind.
     */
    public static MvtecCategory write(Path categoryDir, SyntheticCategoryOptions options) {
        Path target = categoryDir.toAbsolutePath();
        if (Files.exists(target)) {
            throw new DataException("output folder already exists: " + target);
        }
        Path staging;
        try {
            Files.createDirectories(target.getParent());
            staging = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + "-");
        } catch (IOException e) {
            throw new DataException("cannot create output folder " + target + ": " + e.getMessage());
        }
        try {
            writeImages(staging, options);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteTree(staging);
            throw e instanceof DataException de ? de
                    : new DataException("cannot write category " + target + ": " + e.getMessage(), e);
        }
        return MvtecCategory.open(target);
    }

    private static void writeImages(Path root, SyntheticCategoryOptions o) throws IOException {
        for (int i = 0; i < o.trainGood(); i++) {
            Scene scene = scene(o, "train", i);
            writePng(scene.image().toBufferedImage(), root.resolve("train/good").resolve(name(i, "")));
        }
        for (int i = 0; i < o.testGood(); i++) {
            Scene scene = scene(o, "test-good", i);
            writePng(scene.image().toBufferedImage(), root.resolve("test/good").resolve(name(i, "")));
        }
        for (Defect defect : Defect.values()) {
            for (int i = 0; i < o.testPerDefect(); i++) {
                String part = "test-" + defect.folder();
                Scene scene = scene(o, part, i);
                Defect.DefectImage d = defect.paint(scene, new Random(seedFor(o.seed(), part + "-defect", i)));
                writePng(d.image().toBufferedImage(), root.resolve("test").resolve(defect.folder()).resolve(name(i, "")));
                writePng(maskImage(d.mask(), o.size()),
                        root.resolve("ground_truth").resolve(defect.folder()).resolve(name(i, "_mask")));
            }
        }
    }

    private static Scene scene(SyntheticCategoryOptions o, String part, int index) {
        return SceneRenderer.render(o.kind(), o.size(), new Random(seedFor(o.seed(), part, index)));
    }

    /** A seed per (category seed, part, index), decorrelated by a SplitMix64 finaliser. */
    static long seedFor(long seed, String part, int index) {
        long z = seed + 0x9E3779B97F4A7C15L * (part.hashCode() * 31L + index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static String name(int index, String suffix) {
        return String.format("%03d%s.png", index, suffix);
    }

    private static BufferedImage maskImage(float[] mask, int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        for (int p = 0; p < mask.length; p++) {
            img.getRaster().setSample(p % size, p / size, 0, mask[p] > 0 ? 255 : 0);
        }
        return img;
    }

    private static void writePng(BufferedImage img, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Best effort: the staging folder is hidden and named after the target.
        }
    }
}
