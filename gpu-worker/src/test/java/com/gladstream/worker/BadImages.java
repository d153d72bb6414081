package com.gladstream.worker;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Hostile PNGs built chunk by chunk with valid CRCs, so only their content is wrong. */
public final class BadImages {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private BadImages() {}

    /** A PNG whose header declares width × height RGB pixels, with a tiny IDAT: a decompression bomb's header. */
    public static byte[] pngHeader(int width, int height) {
        return png(width, height, 0, 0);
    }

    /**
     * A valid 8×8 PNG preceded by {@code chunks} zTXt chunks, each inflating to {@code inflatedBytes}:
     * a decoder that reads metadata would inflate chunks × inflatedBytes into the heap.
     */
    public static byte[] textBomb(int chunks, int inflatedBytes) {
        return png(8, 8, chunks, inflatedBytes);
    }

    private static byte[] png(int width, int height, int textChunks, int inflatedBytes) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(SIGNATURE);
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream h = new DataOutputStream(ihdr);
            h.writeInt(width);
            h.writeInt(height);
            h.write(new byte[] {8, 2, 0, 0, 0});
            chunk(out, "IHDR", ihdr.toByteArray());
            if (textChunks > 0) {
                ByteArrayOutputStream text = new ByteArrayOutputStream();
                text.write("Comment".getBytes(StandardCharsets.US_ASCII));
                text.write(new byte[] {0, 0});
                text.write(deflate(new byte[inflatedBytes]));
                byte[] data = text.toByteArray();
                for (int i = 0; i < textChunks; i++) {
                    chunk(out, "zTXt", data);
                }
            }
            int rows = Math.min(height, 8);
            int rowBytes = 1 + 3 * Math.min(width, 8);
            chunk(out, "IDAT", deflate(new byte[rows * rowBytes]));
            chunk(out, "IEND", new byte[0]);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length);
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        d.write(typeBytes);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }
}
