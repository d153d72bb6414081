package com.gladstream.worker.batching;

import java.util.Locale;

/** How the worker batches images ({@code inference.batching}); docs/DESIGN.md, "The worker's threads and batching". */
public enum Batching {
    /** Micro-batches per category that run all their denoising steps before the next batch starts. */
    STATIC,
    /** Images join a running batch at any step boundary and leave it when their own steps are done. */
    CONTINUOUS;

    public static Batching parse(String text) {
        for (Batching batching : values()) {
            if (batching.name().equalsIgnoreCase(text.trim())) {
                return batching;
            }
        }
        throw new IllegalArgumentException("inference.batching must be static or continuous, not '" + text + "'");
    }

    public String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
