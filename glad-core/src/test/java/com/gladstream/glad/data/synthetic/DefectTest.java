package com.gladstream.glad.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import com.gladstream.glad.data.synthetic.SyntheticCategoryOptions.Kind;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each defect changes the pixels its mask marks, and only near them, into colours normal images do not have. */
class DefectTest {

    private static final int SIZE = 96;

    @Test
    void everyDefectOnEveryKindIsVisibleAndMasked() {
        for (Kind kind : Kind.values()) {
            double[][] normal = materialColourStats(kind);
            for (Defect defect : Defect.values()) {
                for (int seed = 0; seed < 5; seed++) {
                    Random rng = new Random(seed);
                    Scene scene = SceneRenderer.render(kind, SIZE, rng);
                    Defect.DefectImage d = defect.paint(scene, rng);
                    String what = kind + " " + defect + " seed " + seed;

                    double[] masked = new double[3];
                    double changeInside = 0;
                    int covered = 0;
                    for (int p = 0; p < SIZE * SIZE; p++) {
                        double change = 0;
                        for (int c = 0; c < 3; c++) {
                            float v = d.image().data()[c * SIZE * SIZE + p];
                            change += Math.abs(v - scene.image().data()[c * SIZE * SIZE + p]);
                            if (d.mask()[p] > 0) {
                                masked[c] += v;
                            }
                        }
                        if (d.mask()[p] > 0) {
                            covered++;
                            changeInside += change / 3;
                        } else if (change > 0) {
                            assertThat(nearMask(d.mask(), p)).as(what + ": pixel " + p + " changed outside the mask").isTrue();
                        }
                    }
                    assertThat(covered).as(what).isPositive();
                    assertThat(changeInside / covered).as(what + ": mean change inside the mask").isGreaterThan(0.1);
                    double zMax = 0;
                    for (int c = 0; c < 3; c++) {
                        zMax = Math.max(zMax, Math.abs(masked[c] / covered - normal[0][c]) / normal[1][c]);
                    }
                    assertThat(zMax).as(what + ": distance from normal colours in standard deviations").isGreaterThan(2);
                }
            }
        }
    }

    /** Per-channel mean ([0]) and standard deviation ([1]) of material pixels over normal scenes. */
    private static double[][] materialColourStats(Kind kind) {
        double[] sum = new double[3];
        double[] sumSq = new double[3];
        long n = 0;
        for (int seed = 100; seed < 110; seed++) {
            Scene s = SceneRenderer.render(kind, SIZE, new Random(seed));
            for (int p = 0; p < SIZE * SIZE; p++) {
                if (s.material()[p] > 0) {
                    n++;
                    for (int c = 0; c < 3; c++) {
                        double v = s.image().data()[c * SIZE * SIZE + p];
                        sum[c] += v;
                        sumSq[c] += v * v;
                    }
                }
            }
        }
        double[][] stats = new double[2][3];
        for (int c = 0; c < 3; c++) {
            stats[0][c] = sum[c] / n;
            stats[1][c] = Math.sqrt(sumSq[c] / n - stats[0][c] * stats[0][c]);
        }
        return stats;
    }

    private static boolean nearMask(float[] mask, int p) {
        int y = p / SIZE;
        int x = p % SIZE;
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int ny = y + dy;
                int nx = x + dx;
                if (ny >= 0 && ny < SIZE && nx >= 0 && nx < SIZE && mask[ny * SIZE + nx] > 0) {
                    return true;
                }
            }
        }
        return false;
    }
}
