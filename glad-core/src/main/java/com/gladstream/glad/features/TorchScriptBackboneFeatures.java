package com.gladstream.glad.features;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Feature maps from a pretrained ImageNet backbone saved as TorchScript (.pt), run by DJL's
 * PyTorch engine. The module takes one N×3×H×W ImageNet-normalised batch and returns its feature
 * layers as a tuple (or list) of N×C×h×w tensors, shallow to deep; a single tensor is one layer.
 *
 * <p>Not for concurrent use: like the detector that owns it, it belongs to one thread.
 */
public final class TorchScriptBackboneFeatures implements FeatureExtractor {

    private final Path modelFile;
    private final int inputSize;
    private final Model model;

    /**
     * @param modelFile the .pt file
     * @param inputSize backbone input side (a multiple of 32), or 0 for the images' own size
     *     rounded to a multiple of 32
     */
    public TorchScriptBackboneFeatures(Path modelFile, int inputSize) {
        ModelFiles.requireReadable(modelFile, "TorchScript");
        this.modelFile = modelFile;
        this.inputSize = inputSize;
        this.model = Model.newInstance(modelFile.getFileName().toString(), Device.cpu(), "PyTorch");
        try {
            model.load(modelFile);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw ModelFiles.unloadable(modelFile, "TorchScript", e);
        }
    }

    @Override
    public NDList extract(NDArray images) {
        NDManager manager = images.getManager();
        try (NDManager scratch = manager.newSubManager()) {
            NDArray local = images.duplicate();
            local.attach(scratch);
            NDList layers = model.getBlock()
                    .forward(new ParameterStore(scratch, false), new NDList(ImageNetInput.prepare(local, inputSize)), false);
            layers.attach(manager);
            return layers;
        }
    }

    @Override
    public String name() {
        return FeatureExtractors.torchScriptSpec(modelFile, inputSize);
    }

    @Override
    public void close() {
        model.close();
    }
}
