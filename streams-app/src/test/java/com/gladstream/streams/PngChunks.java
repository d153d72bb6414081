package com.gladstream.streams;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A PNG taken apart into its chunks and put back together with correct lengths and CRCs, to build
 * images that are damaged inside while every chunk still checks out.
 */
final class PngChunks {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    record Chunk(String type, byte[] data) {}

    private final List<Chunk> chunks;

    private PngChunks(List<Chunk> chunks) {
        this.chunks = chunks;
    }

    static PngChunks of(byte[] png) {
        List<Chunk> chunks = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(png, SIGNATURE.length, png.length - SIGNATURE.length);
        while (in.remaining() >= 12) {
            int length = in.getInt();
            byte[] type = new byte[4];
            in.get(type);
            byte[] data = new byte[length];
            in.get(data);
            in.getInt();
            chunks.add(new Chunk(new String(type, StandardCharsets.US_ASCII), data));
        }
        return new PngChunks(chunks);
    }

    /** Just an IHDR of {@code width × height} RGB of {@code bitDepth} bits and an IEND, to which image data may be added. */
    static PngChunks header(int width, int height, int bitDepth) {
        byte[] ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) bitDepth).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0).array();
        return new PngChunks(new ArrayList<>(List.of(new Chunk("IHDR", ihdr), new Chunk("IEND", new byte[0]))));
    }

    /** A complete black RGB PNG of {@code bitDepth} (8 or 16) bits: tiny to store, whatever its size. */
    static byte[] black(int width, int height, int bitDepth) {
        int rowBytes = 1 + width * 3 * bitDepth / 8;
        return header(width, height, bitDepth).withImageData(zlib(new byte[rowBytes * height])).bytes();
    }

    /** The IDAT chunks' contents joined: the image's zlib stream. */
    byte[] imageData() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chunks.stream().filter(c -> c.type().equals("IDAT")).forEach(c -> out.writeBytes(c.data()));
        return out.toByteArray();
    }

    /** This PNG with its image data replaced by {@code zlib} in one IDAT before IEND, or none when null. */
    PngChunks withImageData(byte[] zlib) {
        List<Chunk> kept = new ArrayList<>(chunks.stream().filter(c -> !c.type().equals("IDAT")).toList());
        if (zlib != null) {
            kept.add(kept.size() - 1, new Chunk("IDAT", zlib));
        }
        return new PngChunks(kept);
    }

    /** {@code raw} compressed as one zlib stream. */
    static byte[] zlib(byte[] raw) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE);
        CRC32 crc = new CRC32();
        for (Chunk chunk : chunks) {
            byte[] type = chunk.type().getBytes(StandardCharsets.US_ASCII);
            out.writeBytes(ByteBuffer.allocate(4).putInt(chunk.data().length).array());
            out.writeBytes(type);
            out.writeBytes(chunk.data());
            crc.reset();
            crc.update(type);
            crc.update(chunk.data());
            out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        }
        return out.toByteArray();
    }
}
