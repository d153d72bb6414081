package com.gladstream.glad.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A leaf block whose parameter shapes are known up front (no shape inference), so a weights file
 * can be checked against a config and the initial values can come from a seeded Java RNG.
 */
abstract class Layer extends NetworkBlock {

    /** How a parameter starts out. */
    enum Init {
        /** U(−1/√fan_in, 1/√fan_in), PyTorch's default for conv and linear weights. */
        FAN_IN_UNIFORM,
        ZEROS,
        ONES
    }

    private final Map<Parameter, Shape> shapes = new LinkedHashMap<>();
    private final Map<Parameter, Init> inits = new LinkedHashMap<>();

    protected final Parameter parameter(String name, Parameter.Type type, Shape shape, Init init) {
        Parameter p = addParameter(Parameter.builder().setName(name).setType(type).build());
        shapes.put(p, shape);
        inits.put(p, init);
        return p;
    }

    Map<Parameter, Shape> parameterShapes() {
        return shapes;
    }

    void initialize(NDManager manager, Random rng) {
        for (Map.Entry<Parameter, Shape> e : shapes.entrySet()) {
            Shape shape = e.getValue();
            float[] values = new float[Math.toIntExact(shape.size())];
            switch (inits.get(e.getKey())) {
                case FAN_IN_UNIFORM -> {
                    double bound = 1.0 / Math.sqrt(shape.size() / shape.get(0));
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
                    }
                }
                case ONES -> Arrays.fill(values, 1f);
                case ZEROS -> { }
            }
            e.getKey().setArray(manager.create(values, shape));
        }
    }

    /** Results of ops whose first operand is a parameter belong to the data's manager, not the model's. */
    static NDArray onManagerOf(NDArray data, NDArray result) {
        result.attach(data.getManager());
        return result;
    }

    /**
     * SiLU as x·sigmoid(x): DJL's swish multiplies by a temporary Java scalar that backward may read
     * after it is freed. {@code inPlace} multiplies into the fresh sigmoid instead of allocating the product.
     */
    static NDArray silu(NDArray x, boolean inPlace) {
        return inPlace ? Activation.sigmoid(x).muli(x) : x.mul(Activation.sigmoid(x));
    }
}
