package com.gladstream.glad.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.gladstream.glad.NDManagerExtension;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class NearestNeighbourDistanceTest {

    private static final int N = 2, C = 8, H = 5, W = 6;

    @RegisterExtension
    final NDManagerExtension manager = NDManagerExtension.pytorch();

    @Test
    void identicalFeaturesGiveZeroEverywhere() {
        float[] features = random(N * C * H * W, 1);
        float[] d = distance(features, features, H, W);
        for (float v : d) {
            assertThat(v).isCloseTo(0f, within(1e-5f));
        }
    }

    @Test
    void contentMovedFromElsewhereInTheReferenceIsNotAnomalous() {
        float[] reference = random(N * C * H * W, 2);
        float[] query = reference.clone();
        // Image 1, position (1,1) of the query carries the reference's vector from (3,4).
        copyVector(reference, 1, 3, 4, query, 1, 1, 1);
        float[] d = distance(query, reference, H, W);
        assertThat(d[index(1, 1, 1)]).isCloseTo(0f, within(1e-5f));
        // Same-position matching would have flagged it.
        assertThat(1 - cosine(query, reference, 1, 1, 1, 1, 1)).isGreaterThan(0.2);
    }

    @Test
    void aNovelVectorIsFlaggedAtExactlyItsPosition() {
        float[] reference = new float[N * C * H * W];
        // Every reference vector points along channel 0 or 1; the novel one along channel 5.
        for (int n = 0; n < N; n++) {
            for (int p = 0; p < H * W; p++) {
                reference[(n * C + (p % 2)) * H * W + p] = 1f + p;
            }
        }
        float[] query = reference.clone();
        for (int c = 0; c < C; c++) {
            query[(0 * C + c) * H * W + 2 * W + 3] = c == 5 ? 1f : 0f;
        }
        float[] d = distance(query, reference, H, W);
        for (int p = 0; p < H * W; p++) {
            assertThat(d[p]).isCloseTo(p == 2 * W + 3 ? 1f : 0f, within(1e-5f));
        }
    }

    @Test
    void matchesBruteForceInDoublePrecision() {
        int hq = 4, wq = 3, hr = 6, wr = 5;
        float[] query = random(N * C * hq * wq, 3);
        float[] reference = random(N * C * hr * wr, 4);
        NDArray q = manager.get().create(query, new Shape(N, C, hq, wq));
        NDArray r = manager.get().create(reference, new Shape(N, C, hr, wr));
        float[] d = NearestNeighbourDistance.compute(q, r).toFloatArray();
        assertThat(NearestNeighbourDistance.compute(q, r).getShape()).isEqualTo(new Shape(N, hq, wq));
        for (int n = 0; n < N; n++) {
            for (int i = 0; i < hq * wq; i++) {
                double best = Double.MAX_VALUE;
                for (int j = 0; j < hr * wr; j++) {
                    double dot = 0, nq = 0, nr = 0;
                    for (int c = 0; c < C; c++) {
                        double a = query[(n * C + c) * hq * wq + i];
                        double b = reference[(n * C + c) * hr * wr + j];
                        dot += a * b;
                        nq += a * a;
                        nr += b * b;
                    }
                    best = Math.min(best, 1 - dot / Math.sqrt(nq * nr));
                }
                assertThat((double) d[n * hq * wq + i]).isCloseTo(best, within(1e-5));
            }
        }
    }

    private float[] distance(float[] query, float[] reference, int h, int w) {
        return NearestNeighbourDistance.compute(
                        manager.get().create(query, new Shape(N, C, h, w)),
                        manager.get().create(reference, new Shape(N, C, h, w)))
                .toFloatArray();
    }

    private static int index(int n, int y, int x) {
        return (n * H + y) * W + x;
    }

    private static void copyVector(float[] from, int n, int fy, int fx, float[] to, int tn, int ty, int tx) {
        for (int c = 0; c < C; c++) {
            to[((tn * C + c) * H + ty) * W + tx] = from[((n * C + c) * H + fy) * W + fx];
        }
    }

    private static double cosine(float[] a, float[] b, int n, int ay, int ax, int by, int bx) {
        double dot = 0, na = 0, nb = 0;
        for (int c = 0; c < C; c++) {
            double u = a[((n * C + c) * H + ay) * W + ax];
            double v = b[((n * C + c) * H + by) * W + bx];
            dot += u * v;
            na += u * u;
            nb += v * v;
        }
        return dot / Math.sqrt(na * nb);
    }

    private static float[] random(int size, long seed) {
        Random random = new Random(seed);
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
