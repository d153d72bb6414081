package com.gladstream.glad.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.gladstream.glad.diffusion.schedule.ScheduleSpec;
import com.gladstream.glad.diffusion.unet.UNet;
import com.gladstream.glad.diffusion.unet.UNetConfig;
import com.gladstream.glad.image.ImageSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {

    private static final UNetConfig TINY = UNetConfig.preset("tiny", 1);

    @TempDir
    Path temp;

    private NDManager manager;
    private GladModel model;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
        model = randomModel(TINY, 9);
    }

    @AfterEach
    void close() {
        model.close();
        manager.close();
    }

    @Test
    void aSavedModelLoadsWithTheSameMetadataAndPredictions() throws Exception {
        Path dir = temp.resolve("model");
        ModelStore.save(model, dir);
        try (GladModel loaded = ModelStore.load(dir)) {
            assertThat(loaded.metadata()).isEqualTo(model.metadata());
            NDArray x = manager.randomNormal(new Shape(2, 1, 32, 32));
            int[] t = {3, 800};
            assertThat(loaded.predictNoise(x, t).toFloatArray()).containsExactly(model.predictNoise(x, t).toFloatArray());
        }
        assertThat(Files.readString(dir.resolve(ModelStore.METADATA_FILE))).contains("\n  \"category\" : \"bottle\"");
        try (Stream<Path> leftovers = Files.list(temp)) {
            assertThat(leftovers).containsExactly(dir);
        }
    }

    @Test
    void aFeatureNetworkIsStoredBesideTheWeightsAndAModelWithoutOneLoadsWithNone() throws Exception {
        Path plain = temp.resolve("plain");
        ModelStore.save(model, plain);
        assertThat(plain.resolve(ModelStore.FEATURE_NET_FILE)).doesNotExist();
        try (GladModel loaded = ModelStore.load(plain)) {
            assertThat(loaded.featureNet()).isEmpty();
        }

        Map<String, NDArray> net = new java.util.LinkedHashMap<>();
        net.put("conv0.weight", manager.randomNormal(new Shape(4, 3, 3, 3)));
        net.put("conv0.bias", manager.randomNormal(new Shape(4)));
        Path dir = temp.resolve("with-features");
        try (GladModel withNet = model.withFeatureNet(net)) {
            ModelStore.save(withNet, dir);
        }
        assertThat(dir.resolve(ModelStore.FEATURE_NET_FILE)).isRegularFile();
        try (GladModel loaded = ModelStore.load(dir);
                GladModel renamed = loaded.withMetadata(loaded.metadata().withVersion("v2"))) {
            for (GladModel m : List.of(loaded, renamed)) {
                assertThat(m.featureNet().keySet()).containsExactly("conv0.weight", "conv0.bias");
                assertThat(m.featureNet().get("conv0.weight").toFloatArray())
                        .containsExactly(net.get("conv0.weight").toFloatArray());
            }
        }
    }

    @Test
    void savingOverAModelReplacesIt() throws Exception {
        Path dir = temp.resolve("model");
        ModelStore.save(model, dir);
        try (GladModel calibrated = model.withMetadata(model.metadata().withCalibration(
                new Calibration(0.4, 0.1, null, 350, 750, 25, "onnx:mobilenetv2", null, null, null, null)))) {
            ModelStore.save(calibrated, dir);
        }
        assertThat(ModelStore.readMetadata(dir).calibration().maxStep()).isEqualTo(750);
    }

    @Test
    void perStepAdsThresholdsRoundTripHighestStepFirst() throws Exception {
        Path dir = temp.resolve("model");
        // T=100, S=4: DDIM timesteps 100, 75, 50, 25.
        Map<Integer, Double> deltas = Map.of(25, 0.05, 100, 0.5, 50, 0.2, 75, 0.3);
        try (GladModel calibrated = model.withMetadata(model.metadata().withCalibration(
                new Calibration(0.4, 0.25, deltas, 50, 100, 4, "unet", null, null, null, null)))) {
            ModelStore.save(calibrated, dir);
            assertThat(ModelStore.readMetadata(dir)).isEqualTo(calibrated.metadata());
        }
        assertThat(ModelStore.readMetadata(dir).calibration().adsDeltaPerStep()).containsExactly(
                Map.entry(100, 0.5), Map.entry(75, 0.3), Map.entry(50, 0.2), Map.entry(25, 0.05));
    }

    @Test
    void metadataWithoutPerStepAdsThresholdsStillLoads() throws Exception {
        Path dir = temp.resolve("model");
        try (GladModel calibrated = model.withMetadata(model.metadata().withCalibration(
                new Calibration(0.4, 0.1, Map.of(100, 0.1), 50, 100, 4, "unet", null, null, null, null)))) {
            ModelStore.save(calibrated, dir);
        }
        // A file written before per-step thresholds existed has no such field at all.
        Path file = dir.resolve(ModelStore.METADATA_FILE);
        String withField = Files.readString(file);
        String old = withField.replaceAll("\\s*\"adsDeltaPerStep\" : \\{[^}]*},", "");
        assertThat(old).isNotEqualTo(withField).doesNotContain("adsDeltaPerStep");
        Files.writeString(file, old);
        Calibration loaded = ModelStore.readMetadata(dir).calibration();
        assertThat(loaded.adsDeltaPerStep()).isNull();
        assertThat(loaded.adsDelta()).isEqualTo(0.1);
        assertThat(loaded.adsMinStep()).isEqualTo(50);
    }

    @Test
    void aModelsAspectRoundTripsAndAModelStoredWithoutOneIsSquare() throws Exception {
        Path dir = temp.resolve("wide");
        try (GladModel wide = randomModel(TINY.withAspect(2.45), 9)) {
            ModelStore.save(wide, dir);
        }
        assertThat(ModelStore.readMetadata(dir).config().inputSize()).isEqualTo(new ImageSize(32, 78));
        // A file written before aspects existed has no such field at all.
        Path file = dir.resolve(ModelStore.METADATA_FILE);
        String withField = Files.readString(file);
        String old = withField.replaceAll(",\\s*\"aspect\" : [0-9.]+", "");
        assertThat(old).isNotEqualTo(withField).doesNotContain("aspect");
        Files.writeString(file, old);
        try (GladModel loaded = ModelStore.load(dir)) {
            assertThat(loaded.config().inputSize()).isEqualTo(ImageSize.square(32));
        }
    }

    @Test
    void perStepAdsThresholdsOffTheCalibratedScheduleAreReported() throws Exception {
        Path dir = temp.resolve("model");
        Path file = dir.resolve(ModelStore.METADATA_FILE);
        // 60 is not a DDIM timestep of T=100, S=4; the other map lacks T itself, which is always compared.
        for (Map<Integer, Double> deltas : List.of(Map.of(100, 0.5, 60, 0.2), Map.of(75, 0.3, 50, 0.2))) {
            try (GladModel calibrated = model.withMetadata(model.metadata().withCalibration(
                    new Calibration(0.4, 0.25, deltas, 50, 100, 4, "unet", null, null, null, null)))) {
                ModelStore.save(calibrated, dir);
            }
            assertThatThrownBy(() -> ModelStore.load(dir))
                    .isInstanceOf(ModelLoadException.class)
                    .hasMessage(file + ": calibration.adsDeltaPerStep has thresholds for steps " + deltas.keySet().stream()
                            .sorted(Comparator.reverseOrder()).toList()
                            + ", expected the DDIM timesteps of T=100, S=4: [100, 75, 50, 25]");
        }
    }

    @Test
    void publishingNumbersVersionsPerCategory() throws Exception {
        Path root = temp.resolve("store");
        assertThat(ModelStore.latest(root, "bottle")).isEmpty();
        Path first = ModelStore.publish(root, "bottle", model);
        Path second = ModelStore.publish(root, "bottle", model);
        assertThat(first).isEqualTo(root.resolve("bottle/v1"));
        assertThat(second).isEqualTo(root.resolve("bottle/v2"));
        assertThat(ModelStore.versions(root, "bottle")).containsExactly(first, second);
        assertThat(ModelStore.latest(root, "bottle")).contains(second);
        assertThat(ModelStore.readMetadata(second).version()).isEqualTo("v2");
        assertThat(model.metadata().version()).isNull();
    }

    @Test
    void categoryNamesAndVersionsAreCheckedBeforeTheyBecomePaths() {
        Path root = temp.resolve("store");
        for (String bad : new String[] {"../x", "/abs", "a/b", "", ".", "..", ".hidden", "a\\b", "x/../../y"}) {
            assertThatThrownBy(() -> ModelStore.publish(root, bad, model)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a valid name");
            assertThatThrownBy(() -> ModelStore.versions(root, bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> ModelStore.publish(root, null, model)).isInstanceOf(IllegalArgumentException.class);
        for (String bad : new String[] {"../v1", "v0", "v01", "1", "v1/..", "", "v1234567890"}) {
            assertThatThrownBy(() -> ModelStore.versionDir(root, "bottle", bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a store version");
        }
        assertThat(ModelStore.versionDir(root, "mpdd_metal-plate.2", "v12")).isEqualTo(root.resolve("mpdd_metal-plate.2/v12"));
        assertThat(root).doesNotExist();
    }

    @Test
    void strayFoldersAndFilesDoNotBreakListing() throws Exception {
        Path root = temp.resolve("store");
        Path v1 = ModelStore.publish(root, "bottle", model);
        Files.createDirectories(root.resolve("bottle/notes"));
        Files.createDirectories(root.resolve("bottle/v007"));
        Files.createDirectories(root.resolve("bottle/v99999999999"));
        Files.writeString(root.resolve("bottle/v5"), "a file, not a folder");
        Files.createDirectories(root.resolve("bottle/v3"));
        Files.createDirectories(root.resolve("..weird"));
        Files.createDirectories(root.resolve("empty-category"));
        Files.writeString(root.resolve("README"), "x");

        assertThat(ModelStore.versions(root, "bottle")).containsExactly(v1);
        assertThat(ModelStore.latest(root, "bottle")).contains(v1);
        assertThat(ModelStore.categories(root)).containsExactly("bottle");
        // The stray, incomplete v3 is never overwritten nor reused: the next version goes past it.
        assertThat(ModelStore.publish(root, "bottle", model)).isEqualTo(root.resolve("bottle/v4"));
        assertThat(root.resolve("bottle/v3")).isEmptyDirectory();
    }

    @Test
    void aPublishThatCrashedBeforeItsRenameLeavesThePreviousVersionServing() throws Exception {
        Path root = temp.resolve("store");
        Path v1 = ModelStore.publish(root, "bottle", model);
        byte[] v1Weights = Files.readAllBytes(v1.resolve(ModelStore.WEIGHTS_FILE));
        // What a process killed between writing v2 and renaming it leaves: its temporary sibling, part-written.
        Path crashed = root.resolve("bottle/.v2.tmp-" + java.util.UUID.randomUUID());
        Files.createDirectories(crashed);
        Files.write(crashed.resolve(ModelStore.WEIGHTS_FILE), java.util.Arrays.copyOf(v1Weights, v1Weights.length / 3));

        assertThat(ModelStore.versions(root, "bottle")).containsExactly(v1);
        try (GladModel serving = ModelStore.load(ModelStore.latest(root, "bottle").orElseThrow())) {
            assertThat(serving.metadata().version()).isEqualTo("v1");
        }
        assertThat(Files.readAllBytes(v1.resolve(ModelStore.WEIGHTS_FILE))).isEqualTo(v1Weights);
        // The next publish completes normally beside the leftover.
        Path v2 = ModelStore.publish(root, "bottle", model);
        assertThat(v2).isEqualTo(root.resolve("bottle/v2"));
        assertThat(ModelStore.versions(root, "bottle")).containsExactly(v1, v2);
    }

    @Test
    void aMissingDirectoryIsReported() {
        Path dir = temp.resolve("nowhere");
        assertThatThrownBy(() -> ModelStore.load(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage(dir + ": model directory does not exist");
    }

    @Test
    void corruptMetadataIsReported() throws Exception {
        Path dir = saved();
        Files.writeString(dir.resolve(ModelStore.METADATA_FILE), "{ \"category\": \"bottle\", ");
        assertThatThrownBy(() -> ModelStore.load(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith(dir.resolve(ModelStore.METADATA_FILE) + ": not valid model metadata")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aMissingRequiredFieldIsNamed() throws Exception {
        Path dir = saved();
        Path file = dir.resolve(ModelStore.METADATA_FILE);
        Files.writeString(file, Files.readString(file).replace("\"category\" : \"bottle\",", ""));
        assertThatThrownBy(() -> ModelStore.load(dir))
                .hasMessage(file + ": required field 'category' is missing");
    }

    @Test
    void missingWeightsAreReported() throws Exception {
        Path dir = saved();
        Files.delete(dir.resolve(ModelStore.WEIGHTS_FILE));
        assertThatThrownBy(() -> ModelStore.load(dir))
                .hasMessage(dir.resolve(ModelStore.WEIGHTS_FILE) + ": weights file is missing");
    }

    @Test
    void unreadableWeightsAreReported() throws Exception {
        Path dir = saved();
        Files.write(dir.resolve(ModelStore.WEIGHTS_FILE), "definitely not arrays".getBytes());
        assertThatThrownBy(() -> ModelStore.load(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith(dir.resolve(ModelStore.WEIGHTS_FILE) + ": not a valid array file")
                .hasMessageNotContaining("\n");
    }

    @Test
    void weightsOfAnotherConfigAreReportedWithTheMismatch() throws Exception {
        Path dir = saved();
        UNetConfig wider = new UNetConfig(32, 1, 24, List.of(1, 2), 1, List.of(1), 2, 8);
        try (GladModel other = randomModel(wider, 1)) {
            Path otherDir = temp.resolve("other");
            ModelStore.save(other, otherDir);
            Files.copy(otherDir.resolve(ModelStore.WEIGHTS_FILE), dir.resolve(ModelStore.WEIGHTS_FILE),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertThatThrownBy(() -> ModelStore.load(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith(dir.resolve(ModelStore.WEIGHTS_FILE) + ": does not match the config in metadata.json")
                .hasMessageContaining("has shape")
                .hasMessageNotContaining("\n");
    }

    @Test
    void theDataHashDependsOnNamesAndContentNotOnOrder() throws IOException {
        Path root = temp.resolve("data");
        Files.createDirectories(root.resolve("good"));
        Path a = Files.writeString(root.resolve("good/a.png"), "aaa");
        Path b = Files.writeString(root.resolve("good/b.png"), "bbb");
        String hash = DataHash.of(root, List.of(a, b));
        assertThat(hash).matches("sha256:[0-9a-f]{64}");
        assertThat(DataHash.of(root, List.of(b, a))).isEqualTo(hash);
        assertThat(DataHash.of(root, List.of(root.relativize(a), root.relativize(b)))).isEqualTo(hash);
        Files.writeString(b, "bbc");
        assertThat(DataHash.of(root, List.of(a, b))).isNotEqualTo(hash);
        assertThat(DataHash.of(root, List.of(a))).isNotEqualTo(hash);
    }

    private Path saved() {
        Path dir = temp.resolve("model");
        ModelStore.save(model, dir);
        return dir;
    }

    private static GladModel randomModel(UNetConfig config, long seed) {
        try (NDManager weightsManager = NDManager.newBaseManager()) {
            UNet unet = new UNet(config);
            unet.initialize(weightsManager, seed);
            // Random values everywhere, so zero-initialised layers also take part in the comparison.
            Map<String, NDArray> weights = new java.util.LinkedHashMap<>();
            unet.getParameters().forEach(p -> weights.put(p.getKey(),
                    weightsManager.randomNormal(p.getValue().getArray().getShape()).mul(0.1)));
            ModelMetadata metadata = new ModelMetadata(null, "bottle", "tiny", config, "sha256:abc", 100, false, 1.5,
                    null, Map.of("I-AUROC", 0.9), Instant.parse("2025-01-02T03:04:05Z"), ScheduleSpec.DDPM_LINEAR, 7, null);
            return GladModel.of(metadata, weights);
        }
    }
}
