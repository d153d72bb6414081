package com.gladstream.glad.reconstruction;

import com.gladstream.glad.data.MvtecCategory;
import com.gladstream.glad.data.Sample;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Random;

/**
 * Per-image noise. ε is drawn from a seed that belongs to the image (derived from its event id or
 * file name), never from a shared generator, so a replayed event or a different batch composition
 * reconstructs the same way.
 */
public final class NoiseSeeds {

    private NoiseSeeds() {}

    /** A stable seed for an image identifier: the first 8 bytes of its SHA-256. */
    public static long of(String id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            long seed = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                seed = (seed << 8) | (digest[i] & 0xff);
            }
            return seed;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The seeds of some of a category's images, from their paths relative to the category. */
    public static List<Long> of(MvtecCategory category, List<Sample> samples) {
        return samples.stream().map(s -> of(category.relativePath(s))).toList();
    }

    /** {@code count} standard normal values from {@code seed}. */
    public static float[] gaussian(long seed, int count) {
        Random random = new Random(seed);
        float[] noise = new float[count];
        for (int i = 0; i < count; i++) {
            noise[i] = (float) random.nextGaussian();
        }
        return noise;
    }
}
