package com.gladstream.glad.diffusion.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.gladstream.glad.NDManagerExtension;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class NoiseScheduleTest {

    @RegisterExtension
    final NDManagerExtension manager = NDManagerExtension.defaultEngine();
    private final Random random = new Random(7);

    @Test
    void linearAlphaBarMatchesTheClosedForm() {
        NoiseSchedule schedule = NoiseSchedule.linear(1000, 1e-4, 0.02);
        double product = 1.0;
        for (int t = 0; t < 1000; t++) {
            product *= 1.0 - (1e-4 + (0.02 - 1e-4) * t / 999.0);
            assertThat(schedule.alphaBar(t)).isCloseTo(product, within(1e-12));
        }
        // Well-known DDPM value: almost no signal is left at the last step.
        assertThat(schedule.alphaBar(999)).isCloseTo(4.04e-5, within(1e-6));
        assertThat(schedule.alphaBar(-1)).isEqualTo(1.0);
    }

    @Test
    void scaledLinearAlphaBarMatchesTheClosedForm() {
        NoiseSchedule schedule = NoiseSchedule.scaledLinear(1000, 0.00085, 0.012);
        double product = 1.0;
        for (int t = 0; t < 1000; t++) {
            double root = Math.sqrt(0.00085) + (Math.sqrt(0.012) - Math.sqrt(0.00085)) * t / 999.0;
            product *= 1.0 - root * root;
            assertThat(schedule.alphaBar(t)).isCloseTo(product, within(1e-12));
        }
        assertThat(schedule.alphaBar(999)).isCloseTo(0.00466, within(1e-4));
    }

    @Test
    void timestepsOutsideTheScheduleAreRejected() {
        NoiseSchedule schedule = NoiseSchedule.linear(1000, 1e-4, 0.02);
        assertThatThrownBy(() -> schedule.alphaBar(1000)).hasMessageContaining("outside");
        assertThatThrownBy(() -> schedule.alphaBar(-2)).hasMessageContaining("outside");
    }

    @Test
    void predictOriginalWithTheTrueNoiseRecoversTheImage() {
        NoiseSchedule schedule = NoiseSchedule.linear(1000, 1e-4, 0.02);
        NDArray x0 = uniform(4, 3, 8, 8);
        NDArray noise = gaussian(4, 3, 8, 8);
        int[] t = {0, 250, 700, 999};
        NDArray xt = schedule.addNoise(x0, noise, t);
        NDArray recovered = schedule.predictOriginal(xt, noise, t);
        assertClose(recovered, x0, 2e-4);
    }

    @Test
    void addNoiseMatchesTheFormulaPerSample() {
        NoiseSchedule schedule = NoiseSchedule.scaledLinear(1000, 0.00085, 0.012);
        NDArray x0 = uniform(3, 1, 4, 4);
        NDArray noise = gaussian(3, 1, 4, 4);
        int[] t = {10, 500, -1};
        float[] xt = schedule.addNoise(x0, noise, t).toFloatArray();
        float[] x = x0.toFloatArray();
        float[] e = noise.toFloatArray();
        int per = 16;
        for (int i = 0; i < xt.length; i++) {
            double ab = schedule.alphaBar(t[i / per]);
            assertThat((double) xt[i]).isCloseTo(Math.sqrt(ab) * x[i] + Math.sqrt(1 - ab) * e[i], within(1e-5));
        }
    }

    @Test
    void aBatchWithMixedTimestepsEqualsEachSampleAlone() {
        NoiseSchedule schedule = NoiseSchedule.linear(1000, 1e-4, 0.02);
        NDArray x0 = uniform(3, 3, 5, 5);
        NDArray noise = gaussian(3, 3, 5, 5);
        int[] t = {900, 3, 420};
        NDArray batched = schedule.addNoise(x0, noise, t);
        NDArray originals = schedule.predictOriginal(batched, noise.mul(0.5f), t);
        for (int i = 0; i < 3; i++) {
            NDArray alone = schedule.addNoise(x0.get(i).expandDims(0), noise.get(i).expandDims(0), new int[] {t[i]});
            assertClose(batched.get(i).expandDims(0), alone, 1e-6);
            NDArray originalAlone = schedule.predictOriginal(alone, noise.get(i).expandDims(0).mul(0.5f), new int[] {t[i]});
            assertClose(originals.get(i).expandDims(0), originalAlone, 1e-5);
        }
    }

    @Test
    void ddimStepWithTheTrueImageAndNoiseLandsOnTheForwardProcess() {
        NoiseSchedule schedule = NoiseSchedule.linear(1000, 1e-4, 0.02);
        DdimScheduler ddim = new DdimScheduler(schedule);
        NDArray x0 = uniform(2, 3, 6, 6);
        NDArray noise = gaussian(2, 3, 6, 6);
        int[] t = {750, 30};
        int[] tPrev = {720, -1};
        NDArray xt = schedule.addNoise(x0, noise, t);
        NDArray x0Hat = schedule.predictOriginal(xt, noise, t);
        NDArray stepped = ddim.step(x0Hat, noise, tPrev);
        assertClose(stepped, schedule.addNoise(x0, noise, tPrev), 2e-4);
        // tPrev = -1 is the clean image itself.
        assertClose(stepped.get(1), x0.get(1), 2e-4);
    }

    @Test
    void timestepsDescendFromTheMaximumWithAFixedStride() {
        DdimScheduler ddim = new DdimScheduler(NoiseSchedule.linear(1000, 1e-4, 0.02));
        int[] steps = ddim.timesteps(750, 25);
        assertThat(steps).hasSize(25);
        assertThat(steps[0]).isEqualTo(750);
        for (int i = 1; i < steps.length; i++) {
            assertThat(steps[i - 1] - steps[i]).isEqualTo(750 / 25);
        }
        assertThat(steps[steps.length - 1]).isPositive();
        assertThat(ddim.previous(750, steps)).isEqualTo(720);
        assertThat(ddim.previous(steps[24], steps)).isEqualTo(-1);

        assertThat(ddim.timesteps(10, 25)).containsExactly(10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
        assertThat(ddim.timesteps(999, 3)).containsExactly(999, 666, 333);
        assertThatThrownBy(() -> ddim.timesteps(1000, 10)).hasMessageContaining("maxStep");
        assertThatThrownBy(() -> ddim.previous(5, steps)).hasMessageContaining("not in the schedule");
    }

    private NDArray uniform(int n, int c, int h, int w) {
        float[] v = new float[n * c * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return manager.get().create(v, new Shape(n, c, h, w));
    }

    private NDArray gaussian(int n, int c, int h, int w) {
        float[] v = new float[n * c * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return manager.get().create(v, new Shape(n, c, h, w));
    }

    private static void assertClose(NDArray actual, NDArray expected, double tolerance) {
        assertThat(actual.getShape()).isEqualTo(expected.getShape());
        float[] a = actual.toFloatArray();
        float[] e = expected.toFloatArray();
        for (int i = 0; i < a.length; i++) {
            assertThat((double) a[i]).as("element %d", i).isCloseTo(e[i], within(tolerance));
        }
    }
}
