package com.gladstream.glad.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads and writes name → array maps in DJL's NDList file format (each array carries its name). */
public final class NamedArrays {

    private NamedArrays() {}

    public static void write(Path file, Map<String, NDArray> arrays) throws IOException {
        NDList list = new NDList(arrays.size());
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            e.getValue().setName(e.getKey());
            list.add(e.getValue());
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            list.encode(out);
        }
    }

    /**
     * @throws IOException if the file cannot be read, is not in the NDList format, or holds an
     *     unnamed or repeated name
     */
    public static Map<String, NDArray> read(NDManager manager, Path file) throws IOException {
        NDList list;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            list = NDList.decode(manager, in);
        } catch (RuntimeException e) {
            throw new IOException("not a valid array file (" + e.getMessage() + ")", e);
        }
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        for (NDArray array : list) {
            String name = array.getName();
            if (name == null || arrays.put(name, array) != null) {
                throw new IOException("array names are missing or repeated ('" + name + "')");
            }
        }
        return arrays;
    }
}
