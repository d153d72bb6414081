package com.gladstream.glad.metrics;

import java.util.Arrays;

/**
 * The 8-connected components of a binary ground-truth mask, the "regions" of the PRO metric.
 *
 * @param labels per pixel: -1 for background, otherwise the region index in [0, count)
 * @param sizes pixel count of each region
 */
record RegionLabels(int[] labels, int[] sizes) {

    int count() {
        return sizes.length;
    }

    /** Labels mask pixels above 0.5 in row-major H×W order with a flood fill. */
    static RegionLabels of(float[] mask, int height, int width) {
        int[] labels = new int[mask.length];
        Arrays.fill(labels, -1);
        int[] stack = new int[mask.length];
        int[] sizes = new int[4];
        int count = 0;
        for (int start = 0; start < mask.length; start++) {
            if (mask[start] <= 0.5f || labels[start] >= 0) {
                continue;
            }
            int size = 0;
            int top = 0;
            stack[top++] = start;
            labels[start] = count;
            while (top > 0) {
                int p = stack[--top];
                size++;
                int y = p / width;
                int x = p % width;
                for (int dy = -1; dy <= 1; dy++) {
                    int ny = y + dy;
                    if (ny < 0 || ny >= height) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = x + dx;
                        if (nx < 0 || nx >= width) {
                            continue;
                        }
                        int q = ny * width + nx;
                        if (mask[q] > 0.5f && labels[q] < 0) {
                            labels[q] = count;
                            stack[top++] = q;
                        }
                    }
                }
            }
            if (count == sizes.length) {
                sizes = Arrays.copyOf(sizes, count * 2);
            }
            sizes[count++] = size;
        }
        return new RegionLabels(labels, Arrays.copyOf(sizes, count));
    }
}
