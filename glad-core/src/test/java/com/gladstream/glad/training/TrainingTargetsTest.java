package com.gladstream.glad.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.gladstream.glad.NDManagerExtension;
import com.gladstream.glad.diffusion.schedule.NoiseSchedule;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TrainingTargetsTest {

    private static final NoiseSchedule SCHEDULE = NoiseSchedule.linear(1000, 1e-4, 0.02);
    private static final int[] T = {5, 250, 600, 990};

    @RegisterExtension
    final NDManagerExtension manager = NDManagerExtension.defaultEngine();
    private final Random random = new Random(3);

    @Test
    void theAtpTargetReconstructsTheNormalImageNotTheAnomalousOne() {
        NDArray normal = values(0.8);
        NDArray anomalous = values(0.8);
        NDArray noise = gaussian();
        TrainingTargets targets = TrainingTargets.of(SCHEDULE, normal, anomalous, noise, T);

        NDArray reconstructed = SCHEDULE.predictOriginal(targets.input(), targets.target(), T);
        assertClose(reconstructed, normal, 1e-4);

        // The input really is the noised blend x_syn = x + (t/T)(x^a − x), not the noised normal image.
        NDArray blend = normal.add(anomalous.sub(normal).mul(
                manager.get().create(new float[] {0.005f, 0.25f, 0.6f, 0.99f}, new Shape(4, 1, 1, 1))));
        assertClose(targets.input(), SCHEDULE.addNoise(blend, noise, T), 1e-5);
        assertThat(maxAbsDifference(reconstructed, anomalous)).isGreaterThan(0.1);
    }

    @Test
    void cleanSamplesKeepThePlainDiffusionTarget() {
        NDArray normal = values(0.8);
        NDArray noise = gaussian();
        TrainingTargets targets = TrainingTargets.of(SCHEDULE, normal, normal, noise, T);
        assertClose(targets.target(), noise, 1e-6);
        assertClose(targets.input(), SCHEDULE.addNoise(normal, noise, T), 1e-6);
    }

    private NDArray values(double scale) {
        float[] v = new float[4 * 3 * 6 * 6];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return manager.get().create(v, new Shape(4, 3, 6, 6));
    }

    private NDArray gaussian() {
        float[] v = new float[4 * 3 * 6 * 6];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return manager.get().create(v, new Shape(4, 3, 6, 6));
    }

    private static double maxAbsDifference(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }

    private static void assertClose(NDArray actual, NDArray expected, double tolerance) {
        float[] a = actual.toFloatArray();
        float[] e = expected.toFloatArray();
        assertThat(a).hasSameSizeAs(e);
        for (int i = 0; i < a.length; i++) {
            assertThat((double) a[i]).as("element %d", i).isCloseTo(e[i], within(tolerance));
        }
    }
}
