package com.gladstream.worker.heatmaps;

import com.gladstream.glad.scoring.AnomalyMap;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The raw anomaly map as a NumPy {@code .npy} file (format 1.0, little-endian float32, shape
 * height × width): lossless, and read by {@code numpy.load} or any tool that knows the format.
 */
public final class NpyFormat {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    private static final int PREAMBLE = MAGIC.length + 2;

    private NpyFormat() {}

    public static void write(AnomalyMap map, Path file) throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + map.height() + ", " + map.width() + "), }";
        int padded = (PREAMBLE + dict.length() + 1 + 63) / 64 * 64 - PREAMBLE;
        String header = dict + " ".repeat(padded - dict.length() - 1) + "\n";
        ByteBuffer data = ByteBuffer.allocate(map.values().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(map.values());
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(MAGIC);
            out.write(padded & 0xff);
            out.write(padded >> 8);
            out.write(header.getBytes(StandardCharsets.US_ASCII));
            out.write(data.array());
        }
    }

    /** Reads a file written by {@link #write}. */
    public static AnomalyMap read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes.length < PREAMBLE || bytes[i] != MAGIC[i]) {
                throw new IOException(file + " is not an .npy 1.0 file");
            }
        }
        int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        String header = new String(bytes, PREAMBLE, headerLength, StandardCharsets.US_ASCII);
        if (!header.contains("'descr': '<f4'")) {
            throw new IOException(file + ": only little-endian float32 maps are read, got " + header.trim());
        }
        String shape = header.substring(header.indexOf("'shape': (") + 10, header.indexOf(')'));
        String[] dims = shape.split(",");
        int height = Integer.parseInt(dims[0].trim());
        int width = Integer.parseInt(dims[1].trim());
        float[] values = new float[height * width];
        ByteBuffer.wrap(bytes, PREAMBLE + headerLength, values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer().get(values);
        return new AnomalyMap(height, width, values);
    }
}
