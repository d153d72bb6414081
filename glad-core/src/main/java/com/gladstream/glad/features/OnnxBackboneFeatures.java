package com.gladstream.glad.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Feature maps from a pretrained ImageNet backbone exported to ONNX (e.g. a DINO ViT, or the
 * MobileNetV2 with intermediate outputs used for experiments), run with ONNX Runtime.
 *
 * <p>The model must take one N×3×H×W input and expose each wanted layer as a named N×C×h×w output.
 * Results come back as arrays on the images' (PyTorch) manager, so the rest of the method never
 * sees ONNX Runtime. Safe for concurrent use: an ORT session may be run from several threads.
 */
public final class OnnxBackboneFeatures implements FeatureExtractor {

    private final Path modelFile;
    private final List<String> outputs;
    private final int inputSize;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final String inputName;

    /**
     * @param modelFile the .onnx file
     * @param outputs names of the feature outputs to use, shallow to deep
     * @param inputSize backbone input side (a multiple of 32), or 0 to use the images' own size
     *     rounded to a multiple of 32; upsampling small images gives finer feature maps
     */
    public OnnxBackboneFeatures(Path modelFile, List<String> outputs, int inputSize) {
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("no feature outputs given for ONNX model " + modelFile);
        }
        ModelFiles.requireReadable(modelFile, "ONNX");
        this.modelFile = modelFile;
        this.outputs = List.copyOf(outputs);
        this.inputSize = inputSize;
        this.environment = OrtEnvironment.getEnvironment();
        try {
            this.session = environment.createSession(modelFile.toString(), new OrtSession.SessionOptions());
        } catch (OrtException | RuntimeException e) {
            throw ModelFiles.unloadable(modelFile, "ONNX", e);
        }
        if (session.getInputNames().size() != 1) {
            String inputs = session.getInputNames().toString();
            closeQuietly();
            throw new IllegalArgumentException("ONNX feature model " + modelFile + " must have one input, has " + inputs);
        }
        this.inputName = session.getInputNames().iterator().next();
        Set<String> available = session.getOutputNames();
        for (String output : this.outputs) {
            if (!available.contains(output)) {
                closeQuietly();
                throw new IllegalArgumentException("ONNX feature model " + modelFile + " has no output '" + output
                        + "' (outputs: " + available + ")");
            }
        }
    }

    @Override
    public NDList extract(NDArray images) {
        NDManager manager = images.getManager();
        float[] input;
        Shape inputShape;
        try (NDManager scratch = manager.newSubManager()) {
            NDArray local = images.duplicate();
            local.attach(scratch);
            NDArray prepared = ImageNetInput.prepare(local, inputSize);
            input = prepared.toFloatArray();
            inputShape = prepared.getShape();
        }
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(input), inputShape.getShape());
                OrtSession.Result result = session.run(Map.of(inputName, tensor), new LinkedHashSet<>(outputs))) {
            NDList features = new NDList(outputs.size());
            for (String output : outputs) {
                OnnxValue value = result.get(output).orElseThrow();
                OnnxTensor feature = (OnnxTensor) value;
                FloatBuffer buffer = feature.getFloatBuffer();
                float[] data = new float[buffer.remaining()];
                buffer.get(data);
                features.add(manager.create(data, new Shape(feature.getInfo().getShape())));
            }
            return features;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX feature model " + modelFile + " failed: " + ModelFiles.firstLine(e), e);
        }
    }

    @Override
    public String name() {
        return FeatureExtractors.onnxSpec(modelFile, outputs, inputSize);
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            session.close();
        } catch (OrtException e) {
            // nothing more to release
        }
    }
}
