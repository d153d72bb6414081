package com.gladstream.glad.scoring;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The 8-connected regions of an anomaly map whose values exceed a threshold (the same
 * connectivity as the ground-truth regions of PRO), strongest first.
 */
public final class RegionExtractor {

    private RegionExtractor() {}

    public static List<Region> extract(AnomalyMap map, double threshold) {
        int h = map.height();
        int w = map.width();
        float[] v = map.values();
        boolean[] seen = new boolean[v.length];
        int[] stack = new int[v.length];
        List<Region> regions = new ArrayList<>();
        for (int start = 0; start < v.length; start++) {
            if (seen[start] || !(v[start] > threshold)) {
                continue;
            }
            int minX = w, minY = h, maxX = -1, maxY = -1, area = 0;
            float peak = -Float.MAX_VALUE;
            int top = 0;
            stack[top++] = start;
            seen[start] = true;
            while (top > 0) {
                int p = stack[--top];
                int py = p / w;
                int px = p % w;
                minX = Math.min(minX, px);
                maxX = Math.max(maxX, px);
                minY = Math.min(minY, py);
                maxY = Math.max(maxY, py);
                peak = Math.max(peak, v[p]);
                area++;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int ny = py + dy;
                        int nx = px + dx;
                        if (ny >= 0 && ny < h && nx >= 0 && nx < w) {
                            int q = ny * w + nx;
                            if (!seen[q] && v[q] > threshold) {
                                seen[q] = true;
                                stack[top++] = q;
                            }
                        }
                    }
                }
            }
            regions.add(new Region(minX, minY, maxX - minX + 1, maxY - minY + 1, peak, area));
        }
        regions.sort(Comparator.comparingDouble(Region::peak).reversed());
        return regions;
    }
}
