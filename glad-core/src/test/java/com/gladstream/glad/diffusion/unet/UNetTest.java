package com.gladstream.glad.diffusion.unet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.gladstream.glad.NDManagerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UNetTest {

    @RegisterExtension
    final NDManagerExtension manager = NDManagerExtension.defaultEngine();

    @ParameterizedTest(name = "{0}: {1} channels, {2}x{3} input")
    @CsvSource({
        "tiny, 1, 32, 32",
        "tiny, 3, 48, 16",
        "cpu, 3, 64, 64",
        "cpu, 1, 32, 96",
    })
    void outputHasTheInputShape(String preset, int channels, int height, int width) {
        UNet unet = new UNet(UNetConfig.preset(preset, channels));
        unet.initialize(manager.get(), 1);
        System.out.printf("UNet %s/%d channels: %,d parameters%n", preset, channels, unet.parameterCount());
        try (NDManager step = manager.get().newSubManager()) {
            NDArray x = step.randomNormal(new Shape(2, channels, height, width));
            NDArray out = forward(unet, x, new float[] {10, 900});
            assertThat(out.getShape()).isEqualTo(x.getShape());
        }
    }

    @Test
    void aDeeperConfigWithAttentionEverywhereKeepsTheShape() {
        UNetConfig config = new UNetConfig(32, 3, 8, List.of(1, 2, 3, 4), 2, List.of(0, 1, 2, 3), 2, 4);
        UNet unet = new UNet(config);
        unet.initialize(manager.get(), 1);
        try (NDManager step = manager.get().newSubManager()) {
            NDArray x = step.randomNormal(new Shape(1, 3, 16, 24));
            assertThat(forward(unet, x, new float[] {500}).getShape()).isEqualTo(x.getShape());
        }
    }

    @Test
    void parameterShapesFollowTheConfigAndCountThem() {
        UNet unet = new UNet(UNetConfig.preset("tiny", 3));
        Map<String, Shape> shapes = unet.parameterShapes();
        assertThat(shapes).isNotEmpty().doesNotContainValue(null);
        unet.initialize(manager.get(), 1);
        unet.getParameters().forEach(p -> assertThat(p.getValue().getArray().getShape())
                .as(p.getKey()).isEqualTo(shapes.get(p.getKey())));
        long counted = unet.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
        assertThat(unet.parameterCount()).isEqualTo(counted).isPositive();
    }

    @Test
    void theSameSeedGivesTheSameWeights() {
        UNet a = new UNet(UNetConfig.preset("tiny", 1));
        UNet b = new UNet(UNetConfig.preset("tiny", 1));
        UNet c = new UNet(UNetConfig.preset("tiny", 1));
        a.initialize(manager.get(), 42);
        b.initialize(manager.get(), 42);
        c.initialize(manager.get(), 43);
        String name = "02input_conv_weight";
        assertThat(weight(a, name)).containsExactly(weight(b, name));
        assertThat(weight(a, name)).isNotEqualTo(weight(c, name));
    }

    @Test
    void forwardLeavesNoArraysOnTheModelManager() {
        UNet unet = new UNet(UNetConfig.preset("tiny", 3));
        unet.initialize(manager.get(), 1);
        int before = manager.get().getManagedArrays().size();
        try (NDManager step = manager.get().newSubManager()) {
            forward(unet, step.randomNormal(new Shape(2, 3, 32, 32)), new float[] {1, 2});
            unet.encoderFeatures(new ParameterStore(step, false), step.randomNormal(new Shape(1, 3, 32, 32)),
                    step.create(new float[] {5}));
        }
        assertThat(manager.get().getManagedArrays()).hasSize(before);
    }

    @Test
    void encoderFeaturesHaveOneMapPerLevelPlusTheMiddle() {
        UNetConfig config = UNetConfig.preset("cpu", 3);
        UNet unet = new UNet(config);
        unet.initialize(manager.get(), 1);
        NDList features = unet.encoderFeatures(new ParameterStore(manager.get(), false),
                manager.get().randomNormal(new Shape(2, 3, 64, 64)), manager.get().create(new float[] {20, 20}));
        assertThat(features).hasSize(config.levels() + 1);
        for (int level = 0; level < config.levels(); level++) {
            long side = 64 >> level;
            assertThat(features.get(level).getShape()).isEqualTo(new Shape(2, config.channels(level), side, side));
        }
    }

    @Test
    void inputsTheNetworkCannotHandleAreRejectedWithTheReason() {
        UNet unet = new UNet(UNetConfig.preset("cpu", 3));
        unet.initialize(manager.get(), 1);
        assertThatThrownBy(() -> forward(unet, manager.get().zeros(new Shape(1, 3, 30, 32)), new float[] {1}))
                .hasMessageContaining("multiples of 4");
        assertThatThrownBy(() -> forward(unet, manager.get().zeros(new Shape(1, 1, 32, 32)), new float[] {1}))
                .hasMessageContaining("N×3×H×W");
        assertThatThrownBy(() -> UNetConfig.preset("huge", 3)).hasMessageContaining("unknown preset");
        assertThatThrownBy(() -> new UNetConfig(30, 3, 16, List.of(1, 2, 2), 1, List.of(), 1, 8))
                .hasMessageContaining("multiple of 4");
        assertThatThrownBy(() -> new UNetConfig(32, 3, 12, List.of(1, 2), 1, List.of(), 1, 8))
                .hasMessageContaining("normGroups");
    }

    @Test
    void flopsOfASingleLevelNetworkAreTwiceEveryWeightTimesThePositionsItSlidesOver() {
        // One level and no attention: every convolution runs at the full H×W, every dense layer once per image.
        UNetConfig config = new UNetConfig(16, 3, 8, List.of(1), 1, List.of(), 1, 4);
        UNet unet = new UNet(config);
        long convolutionWeights = 0;
        long denseWeights = 0;
        for (Shape shape : unet.parameterShapes().values()) {
            if (shape.dimension() == 4) {
                convolutionWeights += shape.size();
            } else if (shape.dimension() == 2) {
                denseWeights += shape.size();
            }
        }
        long images = 3;
        long height = 16;
        long width = 24;
        assertThat(unet.flops(images, height, width))
                .isEqualTo(2 * images * (height * width * convolutionWeights + denseWeights));
    }

    @Test
    void flopsGrowLinearlyWithTheBatchAndFasterThanTheAreaWithAttention() {
        UNet unet = new UNet(UNetConfig.preset("cpu", 3));
        assertThat(unet.flops(8, 128, 128)).isEqualTo(8 * unet.flops(1, 128, 128));
        // Attention's products grow with the square of the positions, convolutions with their number.
        assertThat(unet.flops(1, 256, 256)).isGreaterThan(4 * unet.flops(1, 128, 128));
        System.out.printf("cpu preset forward at 128 px: %.2f GFLOP per image%n", unet.flops(1, 128, 128) / 1e9);
    }

    private static NDArray forward(UNet unet, NDArray x, float[] t) {
        NDManager m = x.getManager();
        return unet.forward(new ParameterStore(m, false), new NDList(x, m.create(t)), false).singletonOrThrow();
    }

    private static float[] weight(UNet unet, String name) {
        return unet.getParameters().get(name).getArray().toFloatArray();
    }
}
