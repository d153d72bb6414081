package com.gladstream.glad.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.gladstream.glad.diffusion.schedule.DdimScheduler;
import com.gladstream.glad.diffusion.schedule.NoiseSchedule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Model directories and the versioned store.
 *
 * <p>A model directory holds {@value #WEIGHTS_FILE} (the EMA weights by parameter name),
 * {@value #METADATA_FILE} (pretty-printed {@link ModelMetadata}) and, when the model has one, its
 * feature network in {@value #FEATURE_NET_FILE}. Directories are written to a
 * temporary sibling and renamed into place, so a reader never sees a half-written model. The store
 * keeps each category's versions as {@code <root>/<category>/v<N>/}; versions are never modified.
 *
 * <p>Category names and versions come from events and operators, so they are checked before they
 * become paths ({@link #requireCategory}, {@link #requireVersion}): one plain name each, never a
 * separator, a parent reference or an absolute path. Listing skips whatever is not a complete
 * version (a stray folder, the temporary folder of a publish that crashed before its rename).
 */
public final class ModelStore {

    public static final String WEIGHTS_FILE = "weights.ndlist";
    public static final String METADATA_FILE = "metadata.json";
    /** The category's trained feature network, present only in models calibrated with learned features. */
    public static final String FEATURE_NET_FILE = "features.ndlist";

    // No leading zero and at most nine digits, so every listed version parses and sorts as an int.
    private static final Pattern VERSION_DIR = Pattern.compile("v([1-9]\\d{0,8})");
    private static final Pattern CATEGORY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new SimpleModule().addSerializer(Instant.class, new InstantSerializer())
                    .addDeserializer(Instant.class, new InstantDeserializer()))
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelStore() {}

    /**
     * Loads and validates a model directory.
     *
     * @throws ModelLoadException with a one-line message naming the file and the problem
     */
    public static GladModel load(Path dir) throws ModelLoadException {
        if (!Files.isDirectory(dir)) {
            throw new ModelLoadException(dir + ": model directory does not exist");
        }
        ModelMetadata metadata = readMetadata(dir);
        Path weightsFile = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(weightsFile)) {
            throw new ModelLoadException(weightsFile + ": weights file is missing");
        }
        Path featureNetFile = dir.resolve(FEATURE_NET_FILE);
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> weights = readArrays(manager, weightsFile);
            Map<String, NDArray> featureNet = Files.exists(featureNetFile) ? readArrays(manager, featureNetFile) : Map.of();
            try {
                return GladModel.of(metadata, weights, featureNet);
            } catch (IllegalArgumentException e) {
                throw new ModelLoadException(weightsFile + ": does not match the config in " + METADATA_FILE
                        + ": " + e.getMessage(), e);
            }
        }
    }

    private static Map<String, NDArray> readArrays(NDManager manager, Path file) throws ModelLoadException {
        try {
            return NamedArrays.read(manager, file);
        } catch (IOException e) {
            throw new ModelLoadException(file + ": " + e.getMessage(), e);
        }
    }

    /** The metadata of a model directory, without loading its weights. */
    public static ModelMetadata readMetadata(Path dir) throws ModelLoadException {
        Path file = dir.resolve(METADATA_FILE);
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException(file + ": metadata file is missing");
        }
        ModelMetadata metadata;
        try {
            metadata = JSON.readValue(file.toFile(), ModelMetadata.class);
        } catch (JsonProcessingException e) {
            throw new ModelLoadException(file + ": not valid model metadata: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ModelLoadException(file + ": cannot be read: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(file + ": invalid value: " + e.getMessage(), e);
        }
        String missing = missingField(metadata);
        if (missing != null) {
            throw new ModelLoadException(file + ": required field '" + missing + "' is missing");
        }
        String mismatch = stepThresholdMismatch(metadata);
        if (mismatch != null) {
            throw new ModelLoadException(file + ": calibration.adsDeltaPerStep " + mismatch);
        }
        return metadata;
    }

    /**
     * Why the per-step ADS thresholds do not fit the calibrated schedule, or null if they do (or are
     * absent, as in models calibrated before them): they must be finite and given at DDIM timesteps
     * of T and S, including T, the first step, which is always compared.
     */
    private static String stepThresholdMismatch(ModelMetadata m) {
        Calibration c = m.calibration();
        if (c == null || c.adsDeltaPerStep() == null) {
            return null;
        }
        int[] timesteps;
        try {
            timesteps = new DdimScheduler(NoiseSchedule.of(m.schedule())).timesteps(c.maxStep(), c.inferenceSteps());
        } catch (IllegalArgumentException e) {
            return "cannot be checked: " + e.getMessage();
        }
        List<Integer> expected = Arrays.stream(timesteps).boxed().toList();
        boolean fits = c.adsDeltaPerStep().containsKey(timesteps[0])
                && expected.containsAll(c.adsDeltaPerStep().keySet());
        if (!fits) {
            return "has thresholds for steps " + c.adsDeltaPerStep().keySet() + ", expected the DDIM timesteps of T="
                    + c.maxStep() + ", S=" + c.inferenceSteps() + ": " + expected;
        }
        for (Map.Entry<Integer, Double> delta : c.adsDeltaPerStep().entrySet()) {
            if (delta.getValue() == null || !Double.isFinite(delta.getValue())) {
                return "has no finite threshold for step " + delta.getKey() + ": " + delta.getValue();
            }
        }
        return null;
    }

    private static String missingField(ModelMetadata m) {
        if (m == null) {
            return "category";
        }
        if (m.category() == null) {
            return "category";
        }
        if (m.config() == null) {
            return "config";
        }
        if (m.schedule() == null) {
            return "schedule";
        }
        if (m.createdAt() == null) {
            return "createdAt";
        }
        return null;
    }

    /** Writes {@code model} to {@code dir}, replacing what was there. Atomic: see the class comment. */
    public static void save(GladModel model, Path dir) {
        Path parent = dir.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
            Path temp = writeTemporary(model, parent, dir.getFileName().toString());
            if (Files.exists(dir)) {
                Path old = parent.resolve("." + dir.getFileName() + ".old-" + UUID.randomUUID());
                Directories.move(dir, old);
                Directories.move(temp, dir);
                Directories.deleteRecursively(old);
            } else {
                Directories.move(temp, dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save model to " + dir, e);
        }
    }

    /**
     * Publishes {@code model} as the next version of {@code category}: {@code <root>/<category>/v<N>/}
     * with the version recorded in its metadata. Concurrent publishers get distinct versions.
     *
     * @return the new version's directory
     */
    public static Path publish(Path storeRoot, String category, GladModel model) {
        Path categoryDir = storeRoot.resolve(requireCategory(category));
        try {
            Files.createDirectories(categoryDir);
            while (true) {
                // Numbered past every version-named folder, complete or not, so a stray one is never reused.
                int next = versionFolders(categoryDir).stream().mapToInt(ModelStore::versionNumber).max().orElse(0) + 1;
                String version = "v" + next;
                Path target = categoryDir.resolve(version);
                try (GladModel versioned = model.withMetadata(model.metadata().withVersion(version))) {
                    Path temp = writeTemporary(versioned, categoryDir, version);
                    try {
                        Directories.move(temp, target);
                        return target;
                    } catch (IOException e) {
                        Directories.deleteRecursively(temp);
                        if (!Files.exists(target)) {
                            throw e;
                        }
                        // another publisher took this number: try the next one
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish model to " + categoryDir, e);
        }
    }

    /**
     * {@code category} if it is a plain name: 1 to 128 characters from letters, digits, '.', '_', '-',
     * starting with a letter or digit (so never empty, '.', '..', hidden, nested or absolute).
     *
     * @throws IllegalArgumentException naming the value and the rule
     */
    public static String requireCategory(String category) {
        if (category == null || !CATEGORY.matcher(category).matches()) {
            throw new IllegalArgumentException("category '" + category + "' is not a valid name: 1-128 characters"
                    + " from letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
        return category;
    }

    /** {@code version} if it is a store version, {@code v} and a number from 1 ({@code v3}). */
    public static String requireVersion(String version) {
        if (version == null || !VERSION_DIR.matcher(version).matches()) {
            throw new IllegalArgumentException("version '" + version + "' is not a store version (v1, v2, ...)");
        }
        return version;
    }

    /** The directory of one version, both parts checked. */
    public static Path versionDir(Path storeRoot, String category, String version) {
        return storeRoot.resolve(requireCategory(category)).resolve(requireVersion(version));
    }

    /** The categories with at least one complete version, by name; other folders are skipped. */
    public static List<String> categories(Path storeRoot) {
        if (!Files.isDirectory(storeRoot)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(storeRoot)) {
            return children.map(p -> p.getFileName().toString())
                    .filter(name -> CATEGORY.matcher(name).matches())
                    .filter(name -> !versions(storeRoot, name).isEmpty())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + storeRoot, e);
        }
    }

    /** The category's complete version directories (with their metadata file), oldest first. */
    public static List<Path> versions(Path storeRoot, String category) {
        Path categoryDir = storeRoot.resolve(requireCategory(category));
        return versionFolders(categoryDir).stream()
                .filter(p -> Files.isRegularFile(p.resolve(METADATA_FILE)))
                .sorted(Comparator.comparingInt(ModelStore::versionNumber))
                .toList();
    }

    private static List<Path> versionFolders(Path categoryDir) {
        if (!Files.isDirectory(categoryDir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(categoryDir)) {
            return children.filter(p -> VERSION_DIR.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + categoryDir, e);
        }
    }

    /** The category's newest version directory, if any. */
    public static Optional<Path> latest(Path storeRoot, String category) {
        List<Path> all = versions(storeRoot, category);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    private static int versionNumber(Path versionDir) {
        Matcher m = VERSION_DIR.matcher(versionDir.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(versionDir + " is not a version directory");
        }
        return Integer.parseInt(m.group(1));
    }

    private static Path writeTemporary(GladModel model, Path parent, String name) throws IOException {
        Path temp = parent.resolve("." + name + ".tmp-" + UUID.randomUUID());
        Files.createDirectory(temp);
        try {
            NamedArrays.write(temp.resolve(WEIGHTS_FILE), model.weights());
            if (!model.featureNet().isEmpty()) {
                NamedArrays.write(temp.resolve(FEATURE_NET_FILE), model.featureNet());
            }
            JSON.writeValue(temp.resolve(METADATA_FILE).toFile(), model.metadata());
            return temp;
        } catch (IOException | RuntimeException e) {
            Directories.deleteRecursively(temp);
            throw e;
        }
    }

    private static final class InstantSerializer extends JsonSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(value.toString());
        }
    }

    private static final class InstantDeserializer extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            try {
                return Instant.parse(p.getValueAsString());
            } catch (DateTimeParseException e) {
                throw ctxt.weirdStringException(p.getValueAsString(), Instant.class, "not an ISO-8601 instant");
            }
        }
    }
}
