package com.gladstream.glad.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The per-layer feature distance of docs/DESIGN.md A.3: for every position i of the query features,
 * min over ALL positions j of the reference features of (1 − cos(F_i, G_j)). Nearest-neighbour
 * matching tolerates content that moved (a shifted object, a repeating texture) and flags only
 * feature vectors the reference has nowhere.
 */
public final class NearestNeighbourDistance {

    private NearestNeighbourDistance() {}

    /**
     * @param query N×C×h×w features of the images whose positions are scored
     * @param reference N×C×h'×w' features of the images they are matched against, image by image
     * @return N×h×w distances in [0, 2], on {@code query}'s manager
     */
    public static NDArray compute(NDArray query, NDArray reference) {
        Shape q = query.getShape();
        Shape r = reference.getShape();
        if (q.get(0) != r.get(0) || q.get(1) != r.get(1)) {
            throw new IllegalArgumentException("query " + q + " and reference " + r + " differ in batch or channels");
        }
        long n = q.get(0);
        long channels = q.get(1);
        NDArray queryUnit = query.reshape(n, channels, -1).normalize(2, 1, 1e-12);
        NDArray referenceUnit = reference.reshape(n, channels, -1).normalize(2, 1, 1e-12);
        // One image at a time, each P×Q cosine matrix freed as soon as its row minima are taken:
        // at 256 px a stride-2 layer's matrix is 1 GiB, so keeping them all would scale with N.
        NDList perImage = new NDList((int) n);
        for (long i = 0; i < n; i++) {
            try (NDManager scratch = query.getManager().newSubManager()) {
                NDArray q1 = queryUnit.get(i);
                q1.attach(scratch);
                NDArray cosine = q1.transpose().matMul(referenceUnit.get(i));
                cosine.attach(scratch);
                NDArray distance = cosine.max(new int[] {1}).neg().add(1f).clip(0f, 2f);
                distance.attach(query.getManager());
                perImage.add(distance);
            }
        }
        return NDArrays.stack(perImage).reshape(n, q.get(2), q.get(3));
    }
}
