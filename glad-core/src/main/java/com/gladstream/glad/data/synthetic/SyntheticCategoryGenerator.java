package com.gladstream.glad.data.synthetic;

import com.gladstream.glad.data.MvtecCategory;
import com.gladstream.glad.data.PngWriter;
import com.gladstream.glad.data.StagedFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

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
     * Writes the category to {@code categoryDir}, which must not exist yet, and opens it. A failed
     * run leaves nothing behind (see {@link StagedFolder}).
     */
    public static MvtecCategory write(Path categoryDir, SyntheticCategoryOptions options) {
        StagedFolder.write(categoryDir, folder -> writeImages(folder, options));
        return MvtecCategory.open(categoryDir);
    }

    private static void writeImages(Path root, SyntheticCategoryOptions o) throws IOException {
        for (int i = 0; i < o.trainGood(); i++) {
            Scene scene = scene(o, "train", i);
            PngWriter.writeImage(scene.image(), root.resolve("train/good").resolve(name(i, "")));
        }
        for (int i = 0; i < o.testGood(); i++) {
            Scene scene = scene(o, "test-good", i);
            PngWriter.writeImage(scene.image(), root.resolve("test/good").resolve(name(i, "")));
        }
        for (Defect defect : Defect.values()) {
            for (int i = 0; i < o.testPerDefect(); i++) {
                String part = "test-" + defect.folder();
                Scene scene = scene(o, part, i);
                Defect.DefectImage d = defect.paint(scene, new Random(seedFor(o.seed(), part + "-defect", i)));
                PngWriter.writeImage(d.image(), root.resolve("test").resolve(defect.folder()).resolve(name(i, "")));
                PngWriter.writeMask(d.mask(), o.size(), o.size(),
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
}
