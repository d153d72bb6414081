package com.gladstream.glad.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * One category in the MVTec AD layout:
 *
 * <pre>
 * &lt;category&gt;/train/good/*.png
 * &lt;category&gt;/test/good/*.png
 * &lt;category&gt;/test/&lt;defect&gt;/&lt;name&gt;.png
 * &lt;category&gt;/ground_truth/&lt;defect&gt;/&lt;name&gt;_mask.png
 * </pre>
 *
 * <p>train/good is split once, by a hash of each file name, into training images and held-out
 * normal images for calibration and validation; the split never depends on the order files are
 * listed in or on where the category lives. Test images are never part of either, and are
 * optional: training and calibration need only train/good.
 */
public final class MvtecCategory {

    /** Share of train/good held out for calibration and validation. */
    public static final double HELD_OUT_FRACTION = 0.15;
    /** Held-out images at least, as long as one training image remains. */
    public static final int MIN_HELD_OUT = 3;
    /**
     * Held-out images calibration uses at most: the ones whose name hash ranks lowest. Calibration
     * costs three reconstructions per image (two with the second pass reused), about 15 s each at
     * S=25 on two cores for the {@code cpu} preset, while 24 traces already put the 0.99 quantile of
     * each step between their two largest scores; validation still uses every held-out image.
     */
    public static final int MAX_CALIBRATION_IMAGES = 24;

    private static final String MASK_SUFFIX = "_mask.png";

    private final Path root;
    private final List<Sample> trainSamples;
    private final List<Sample> heldOutSamples;
    private final List<Sample> calibrationSamples;
    private final List<Sample> testSamples;
    private final double aspect;

    private MvtecCategory(Path root, List<Sample> train, List<Sample> heldOut, List<Sample> calibration, List<Sample> test,
            double aspect) {
        this.root = root;
        this.trainSamples = List.copyOf(train);
        this.heldOutSamples = List.copyOf(heldOut);
        this.calibrationSamples = List.copyOf(calibration);
        this.testSamples = List.copyOf(test);
        this.aspect = aspect;
    }

    /**
     * Opens and validates a category folder. Every image's header is read, so files that are not
     * images fail here; a file truncated after its header fails when {@link ImageLoader} loads it.
     *
     * @throws DataException naming the missing folder, missing mask or unreadable file
     */
    public static MvtecCategory open(Path root) {
        if (!Files.isDirectory(root)) {
            throw new DataException("category folder not found: " + root);
        }
        List<Path> trainGood = ImageLoader.listImages(requireDir(root.resolve("train").resolve(Sample.GOOD)));
        if (trainGood.isEmpty()) {
            throw new DataException("no training images in " + root.resolve("train").resolve(Sample.GOOD));
        }
        Path testDir = root.resolve("test");

        List<Path> heldOutPaths = heldOut(trainGood);
        List<Path> calibrationPaths = heldOutPaths.subList(0, Math.min(MAX_CALIBRATION_IMAGES, heldOutPaths.size()));
        List<Sample> train = new ArrayList<>();
        List<Sample> heldOut = new ArrayList<>();
        List<Sample> calibration = new ArrayList<>();
        for (Path p : trainGood) {
            (heldOutPaths.contains(p) ? heldOut : train).add(Sample.good(p));
            if (calibrationPaths.contains(p)) {
                calibration.add(Sample.good(p));
            }
        }

        List<Sample> test = new ArrayList<>();
        for (Path defectDir : Files.isDirectory(testDir) ? subfolders(testDir) : List.<Path>of()) {
            String defect = defectDir.getFileName().toString();
            for (Path image : ImageLoader.listImages(defectDir)) {
                if (defect.equals(Sample.GOOD)) {
                    test.add(Sample.good(image));
                } else {
                    test.add(new Sample(image, true, defect, maskOf(root, defect, image)));
                }
            }
        }
        List<Sample> all = Stream.of(train, heldOut, test).flatMap(List::stream).toList();
        double[] aspects = new double[train.size() + heldOut.size()];
        for (int i = 0; i < all.size(); i++) {
            double aspect = ImageLoader.readSize(all.get(i).path()).aspect();
            if (i < aspects.length) {
                aspects[i] = aspect;
            }
            if (all.get(i).maskPath() != null) {
                ImageLoader.readSize(all.get(i).maskPath());
            }
        }
        Arrays.sort(aspects);
        return new MvtecCategory(root, train, heldOut, calibration, test, aspects[aspects.length / 2]);
    }

    /** The category's folder name. */
    public String name() {
        return root.getFileName().toString();
    }

    public Path root() {
        return root;
    }

    /** Normal images to train on, sorted by file name. */
    public List<Sample> trainSamples() {
        return trainSamples;
    }

    /** Normal images held out of training, for threshold calibration and validation. */
    public List<Sample> heldOutSamples() {
        return heldOutSamples;
    }

    /** The held-out images δ_t, t_min and the threshold are calibrated on: at most {@link #MAX_CALIBRATION_IMAGES}. */
    public List<Sample> calibrationSamples() {
        return calibrationSamples;
    }

    /** test/good first, then each defect folder in name order; empty when the category has no test/ folder. */
    public List<Sample> testSamples() {
        return testSamples;
    }

    /** The median width/height of the images in train/good, from their headers. */
    public double aspect() {
        return aspect;
    }

    /** Names of the defect folders under test/, in name order. */
    public List<String> defectTypes() {
        return testSamples.stream().filter(Sample::anomalous).map(Sample::defectType).distinct().toList();
    }

    /**
     * SHA-256 (hex) over the sorted relative paths and bytes of every file in train/good, i.e. the
     * training and held-out images a model and its calibrated threshold depend on.
     */
    public String dataHash() {
        List<Path> files = new ArrayList<>();
        trainSamples.forEach(s -> files.add(s.path()));
        heldOutSamples.forEach(s -> files.add(s.path()));
        files.sort(Comparator.comparing(p -> relativeName(p)));
        MessageDigest sha = sha256();
        byte[] buffer = new byte[1 << 16];
        for (Path file : files) {
            sha.update(relativeName(file).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            try (InputStream in = Files.newInputStream(file)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                }
            } catch (IOException e) {
                throw new DataException("cannot read " + file + ": " + e.getMessage());
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private String relativeName(Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    /** The sample's path inside the category with '/' separators: the same on every machine, so it can seed noise. */
    public String relativePath(Sample sample) {
        return relativeName(sample.path());
    }

    /** The files whose name hash ranks lowest, lowest first; hashing the name keeps the split stable everywhere. */
    private static List<Path> heldOut(List<Path> trainGood) {
        int count = Math.max(MIN_HELD_OUT, (int) Math.round(HELD_OUT_FRACTION * trainGood.size()));
        count = Math.min(count, trainGood.size() - 1);
        MessageDigest sha = sha256();
        return trainGood.stream()
                .sorted(Comparator.comparing((Path p) -> HexFormat.of().formatHex(
                        sha.digest(p.getFileName().toString().getBytes(StandardCharsets.UTF_8)))))
                .limit(count)
                .toList();
    }

    private static Path maskOf(Path root, String defect, Path image) {
        String file = image.getFileName().toString();
        String stem = file.substring(0, file.lastIndexOf('.'));
        Path mask = root.resolve("ground_truth").resolve(defect).resolve(stem + MASK_SUFFIX);
        if (!Files.isRegularFile(mask)) {
            throw new DataException("missing ground-truth mask " + mask + " for " + image);
        }
        return mask;
    }

    private static Path requireDir(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DataException("missing folder " + dir);
        }
        return dir;
    }

    /** Sub-folders of dir: "good" first, then by name. */
    private static List<Path> subfolders(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory)
                    .sorted(Comparator.comparing((Path p) -> !p.getFileName().toString().equals(Sample.GOOD))
                            .thenComparing(Comparator.naturalOrder()))
                    .toList();
        } catch (IOException e) {
            throw new DataException("cannot list " + dir + ": " + e.getMessage());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-256", e);
        }
    }
}
