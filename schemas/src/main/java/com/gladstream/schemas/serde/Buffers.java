package com.gladstream.schemas.serde;

import java.nio.ByteBuffer;

/** Avro {@code bytes} fields arrive as {@link ByteBuffer}s; this copies one out without moving its position. */
public final class Buffers {

    private Buffers() {}

    /** The buffer's remaining bytes, or null for a null buffer. */
    public static byte[] toArray(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
