package com.gladstream.glad.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.gladstream.glad.diffusion.NoisePredictor;
import com.gladstream.glad.diffusion.schedule.NoiseSchedule;
import com.gladstream.glad.diffusion.unet.Kernels;
import com.gladstream.glad.diffusion.unet.UNet;
import com.gladstream.glad.diffusion.unet.UNetConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained diffusion model ready for inference: the UNet with its EMA weights (frozen: no
 * gradients are ever recorded through them), its schedule and its metadata. Owns its native memory;
 * close it when done. Safe to call from several threads at once.
 */
public final class GladModel implements NoisePredictor, AutoCloseable {

    private final NDManager manager;
    private final UNet unet;
    private final ModelMetadata metadata;
    private final NoiseSchedule schedule;
    /** The category's trained feature network by array name ({@code features.ConvFeatureNet}); empty if none. */
    private final Map<String, NDArray> featureNet;

    private GladModel(NDManager manager, UNet unet, ModelMetadata metadata, Map<String, NDArray> featureNet) {
        this.manager = manager;
        this.unet = unet;
        this.metadata = metadata;
        this.schedule = NoiseSchedule.of(metadata.schedule());
        this.featureNet = featureNet;
    }

    /**
     * A model holding copies of {@code weights} (name → array, as in {@link #weights()}).
     *
     * @throws IllegalArgumentException naming the first missing, unexpected or mis-shaped parameter
     */
    public static GladModel of(ModelMetadata metadata, Map<String, NDArray> weights) {
        return of(metadata, weights, Map.of(), Kernels.FAST);
    }

    /** As {@link #of(ModelMetadata, Map)}, with a copy of the category's feature network ({@link #featureNet()}). */
    public static GladModel of(ModelMetadata metadata, Map<String, NDArray> weights, Map<String, NDArray> featureNet) {
        return of(metadata, weights, featureNet, Kernels.FAST);
    }

    private static GladModel of(ModelMetadata metadata, Map<String, NDArray> weights, Map<String, NDArray> featureNet,
            Kernels kernels) {
        UNet unet = new UNet(metadata.config(), kernels);
        NDManager manager = NDManager.newBaseManager();
        try {
            unet.setWeights(manager, weights);
            Map<String, NDArray> features = new LinkedHashMap<>();
            featureNet.forEach((name, array) -> {
                NDArray copy = array.duplicate();
                copy.attach(manager);
                features.put(name, copy);
            });
            return new GladModel(manager, unet, metadata, Collections.unmodifiableMap(features));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public ModelMetadata metadata() {
        return metadata;
    }

    public UNetConfig config() {
        return metadata.config();
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    /** Parameter name → weight array, in the network's order. Read-only; owned by this model. */
    public Map<String, NDArray> weights() {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : unet.getParameters()) {
            weights.put(p.getKey(), p.getValue().getArray());
        }
        return Collections.unmodifiableMap(weights);
    }

    /**
     * The feature network trained for this model's category, array name → array (read-only, owned by
     * this model), or an empty map when the model has none.
     */
    public Map<String, NDArray> featureNet() {
        return featureNet;
    }

    /** The same weights with other metadata, as an independent model (its own copy of the weights). */
    public GladModel withMetadata(ModelMetadata newMetadata) {
        if (!newMetadata.config().equals(metadata.config())) {
            throw new IllegalArgumentException("metadata describes a different network: " + newMetadata.config());
        }
        return of(newMetadata, weights(), featureNet);
    }

    /** The same model with {@code newFeatureNet} as its feature network, as an independent model. */
    public GladModel withFeatureNet(Map<String, NDArray> newFeatureNet) {
        return of(metadata, weights(), newFeatureNet);
    }

    /**
     * The same weights computed with other kernels (same numbers within float rounding), as an
     * independent model: {@code glad bench engine} times detection with {@link Kernels#REFERENCE}.
     */
    public GladModel withKernels(Kernels kernels) {
        return of(metadata, weights(), featureNet, kernels);
    }

    @Override
    public NDArray predictNoise(NDArray noisy, int[] timesteps) {
        NDManager caller = noisy.getManager();
        try (NDManager scratch = caller.newSubManager()) {
            scratch.tempAttachAll(noisy);
            NDArray t = scratch.create(toFloats(timesteps));
            NDArray out = unet.forward(parameterStore(), new NDList(noisy, t), false).singletonOrThrow();
            out.attach(caller);
            return out;
        }
    }

    /**
     * The UNet encoder's feature maps of {@code images} at timesteps {@code timesteps}: one per
     * resolution level (stride 2^level) and the middle block's, attached to {@code images}' manager.
     */
    public NDList encoderFeatures(NDArray images, int[] timesteps) {
        NDManager caller = images.getManager();
        try (NDManager scratch = caller.newSubManager()) {
            scratch.tempAttachAll(images);
            NDList features = unet.encoderFeatures(parameterStore(), images, scratch.create(toFloats(timesteps)));
            features.attach(caller);
            return features;
        }
    }

    /** A store per call: DJL's store caches per-parameter state and is not meant to be shared across threads. */
    private ParameterStore parameterStore() {
        return new ParameterStore(manager, false);
    }

    private static float[] toFloats(int[] timesteps) {
        float[] t = new float[timesteps.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = timesteps[i];
        }
        return t;
    }

    @Override
    public void close() {
        manager.close();
    }
}
