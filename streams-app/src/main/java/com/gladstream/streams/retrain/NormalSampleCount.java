package com.gladstream.streams.retrain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * NORMAL samples of one category recorded since the model identified by {@code modelBaseline}
 * was published ({@code ""} before any model).
 */
record NormalSampleCount(String modelBaseline, long samples) {

    /** Fixed layout for the state store: 8-byte count, then the UTF-8 baseline. */
    static Serde<NormalSampleCount> serde() {
        return Serdes.serdeFrom(
                (topic, count) -> {
                    if (count == null) {
                        return null;
                    }
                    byte[] baseline = count.modelBaseline.getBytes(StandardCharsets.UTF_8);
                    return ByteBuffer.allocate(Long.BYTES + baseline.length).putLong(count.samples).put(baseline).array();
                },
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    if (bytes.length < Long.BYTES) {
                        throw new SerializationException("a normal-sample count needs at least 8 bytes, got " + bytes.length);
                    }
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    long samples = buffer.getLong();
                    return new NormalSampleCount(
                            new String(bytes, Long.BYTES, bytes.length - Long.BYTES, StandardCharsets.UTF_8), samples);
                });
    }
}
