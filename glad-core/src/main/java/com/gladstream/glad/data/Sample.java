package com.gladstream.glad.data;

import java.nio.file.Path;

/**
 * One image of a category.
 *
 * @param path the image file
 * @param anomalous true for test images of a defect folder
 * @param defectType the folder the image came from: "good" or the defect's name
 * @param maskPath the ground-truth mask of an anomalous image; null for good images
 */
public record Sample(Path path, boolean anomalous, String defectType, Path maskPath) {

    public static final String GOOD = "good";

    public Sample {
        if (anomalous == (maskPath == null)) {
            throw new IllegalArgumentException(anomalous
                    ? "anomalous sample " + path + " needs a mask"
                    : "good sample " + path + " cannot have a mask");
        }
    }

    public static Sample good(Path path) {
        return new Sample(path, false, GOOD, null);
    }
}
