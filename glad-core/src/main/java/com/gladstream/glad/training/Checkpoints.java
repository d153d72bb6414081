package com.gladstream.glad.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.gladstream.glad.diffusion.unet.UNetConfig;
import com.gladstream.glad.model.Directories;
import com.gladstream.glad.model.NamedArrays;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Training checkpoints: {@code <dir>/step-NNNNNNNN/} with {@value #ARRAYS_FILE} (weights, EMA and
 * optimiser moments by name) and {@value #STATE_FILE}. Each is written to a temporary directory and
 * renamed into place, so an interrupted write never replaces or damages an earlier checkpoint.
 * The newest {@value #KEEP} are kept.
 */
final class Checkpoints {

    static final String ARRAYS_FILE = "state.ndlist";
    static final String STATE_FILE = "state.json";
    /** Name prefixes of the arrays in {@value #ARRAYS_FILE}, followed by the parameter name. */
    static final String WEIGHTS = "weight/";
    static final String EMA = "ema/";
    static final String FIRST_MOMENTS = "adam_m/";
    static final String SECOND_MOMENTS = "adam_v/";
    private static final int KEEP = 2;
    private static final String PREFIX = "step-";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * The scalar part of a checkpoint.
     *
     * @param step steps completed
     * @param elapsedSeconds training time up to this step, over all resumed runs
     * @param lossAverage unnormalised exponential average of the loss
     * @param config network the arrays belong to (a resume must match it)
     * @param seed run seed (a resume must match it, or its batches would differ)
     */
    record State(long step, double elapsedSeconds, double lossAverage, UNetConfig config, long seed) {}

    private Checkpoints() {}

    static Optional<Path> latest(Path dir) {
        List<Path> all = list(dir);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    static Path save(Path dir, State state, Map<String, NDArray> arrays) {
        String name = String.format("%s%08d", PREFIX, state.step());
        Path target = dir.resolve(name);
        Path temp = dir.resolve("." + name + ".tmp");
        try {
            Files.createDirectories(dir);
            Directories.deleteRecursively(temp);
            Files.createDirectory(temp);
            NamedArrays.write(temp.resolve(ARRAYS_FILE), arrays);
            JSON.writeValue(temp.resolve(STATE_FILE).toFile(), state);
            Directories.deleteRecursively(target);
            Directories.move(temp, target);
            List<Path> all = list(dir);
            for (Path old : all.subList(0, Math.max(0, all.size() - KEEP))) {
                Directories.deleteRecursively(old);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + target, e);
        }
    }

    static State readState(Path checkpoint) {
        try {
            return JSON.readValue(checkpoint.resolve(STATE_FILE).toFile(), State.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + checkpoint.resolve(STATE_FILE), e);
        }
    }

    static Map<String, NDArray> readArrays(NDManager manager, Path checkpoint) {
        try {
            return NamedArrays.read(manager, checkpoint.resolve(ARRAYS_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + checkpoint.resolve(ARRAYS_FILE), e);
        }
    }

    /** Completed checkpoints, oldest first. */
    private static List<Path> list(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> p.getFileName().toString().startsWith(PREFIX)
                            && Files.isRegularFile(p.resolve(STATE_FILE)))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + dir, e);
        }
    }
}
