package com.gladstream.glad.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.gladstream.glad.diffusion.schedule.NoiseSchedule;
import com.gladstream.glad.diffusion.schedule.ScheduleSpec;
import com.gladstream.glad.diffusion.unet.UNet;
import com.gladstream.glad.diffusion.unet.UNetConfig;
import com.gladstream.glad.data.ModelInput;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.image.ImageSize;
import com.gladstream.glad.image.ImageTensors;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.model.ModelMetadata;
import com.gladstream.glad.synthesis.AnomalySynthesizer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains the diffusion model on one category's normal images, from scratch or by fine-tuning an
 * existing model, with the ε-prediction MSE loss (plain or ATP), AdamW, global-norm gradient
 * clipping, learning-rate warmup and an EMA of the weights, which becomes the returned model.
 *
 * <p>Deterministic under the seed: a step's batch is drawn from a random source derived from the
 * seed and the step number only. With a checkpoint directory, the run saves every K steps and
 * resumes from the newest checkpoint there, giving the result of an uninterrupted run.
 *
 * <p>Memory: each step runs in an {@link NDScope} and a sub-manager that release every
 * temporary, so native memory stays flat over steps.
 */
public final class DiffusionTrainer {

    private static final double LOSS_SMOOTHING = 0.98;

    private final TrainingConfig config;
    private final AnomalySynthesizer synthesizer;
    private final List<TrainingListener> listeners = new ArrayList<>();

    public DiffusionTrainer(TrainingConfig config) {
        this(config, null);
    }

    /** @param synthesizer source of ATP anomalies; required when {@code config.atpProbability() > 0} */
    public DiffusionTrainer(TrainingConfig config, AnomalySynthesizer synthesizer) {
        if (config.atpProbability() > 0 && synthesizer == null) {
            throw new IllegalArgumentException("ATP training needs an anomaly synthesizer");
        }
        this.config = config;
        this.synthesizer = synthesizer;
        if (config.showProgress()) {
            listeners.add(ProgressBar.stderr());
        }
    }

    public DiffusionTrainer addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /** A new model of shape {@code network}, initialised from the seed. */
    public GladModel train(TrainingData data, String preset, UNetConfig network) {
        return run(data, preset, network, config.schedule(), null);
    }

    /** Continues training {@code from}'s EMA weights on {@code data}; its schedule and config are kept. */
    public GladModel fineTune(GladModel from, TrainingData data) {
        return run(data, from.metadata().preset(), from.config(), from.metadata().schedule(), from);
    }

    private GladModel run(TrainingData data, String preset, UNetConfig network, ScheduleSpec scheduleSpec, GladModel from) {
        if (data.channels() != network.inChannels()) {
            throw new IllegalArgumentException(data.category() + " has " + data.channels()
                    + "-channel images, the network expects " + network.inChannels());
        }
        ImageSize input = network.inputSize();
        if (config.cropSize() > network.resolution() || config.cropSize() % network.sizeMultiple() != 0) {
            throw new IllegalArgumentException("crop size " + config.cropSize() + " must be at most the resolution "
                    + network.resolution() + " and a multiple of " + network.sizeMultiple());
        }
        NoiseSchedule schedule = NoiseSchedule.of(scheduleSpec);
        List<FloatImage> images = data.images().stream()
                .map(i -> ModelInput.prepare(i, network.inChannels(), input))
                .toList();
        BatchSampler sampler = new BatchSampler(images, config.batchSize(), config.cropSize(), config.augmentation(),
                synthesizer, config.atpProbability(), schedule.trainSteps());

        try (NDManager manager = NDManager.newBaseManager()) {
            UNet unet = new UNet(network);
            Path checkpoint = config.checkpointDir() == null ? null : Checkpoints.latest(config.checkpointDir()).orElse(null);
            Map<String, NDArray> saved = checkpoint == null ? null : Checkpoints.readArrays(manager, checkpoint);
            if (saved != null) {
                unet.setWeights(manager, withoutPrefix(Checkpoints.WEIGHTS, saved));
            } else if (from != null) {
                unet.setWeights(manager, from.weights());
            } else {
                unet.initialize(manager, config.seed());
            }
            Run run = new Run(manager, unet);
            if (saved != null) {
                run.resume(checkpoint, saved);
                saved.values().forEach(NDArray::close);
            }
            run.loop(sampler, schedule);

            ModelMetadata metadata = new ModelMetadata(null, data.category(), preset, network, data.dataHash(),
                    config.steps() + (from == null ? 0 : from.metadata().trainingSteps()),
                    config.atpProbability() > 0 || (from != null && from.metadata().atp()),
                    run.elapsedSeconds() + (from == null ? 0 : from.metadata().trainSeconds()),
                    null, Map.of(), Instant.now(), scheduleSpec, config.seed(),
                    from == null ? null : from.metadata().version());
            return GladModel.of(metadata, run.averagedWeights());
        }
    }

    private static Map<String, NDArray> withoutPrefix(String prefix, Map<String, NDArray> arrays) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        arrays.forEach((name, array) -> {
            if (name.startsWith(prefix)) {
                out.put(name.substring(prefix.length()), array);
            }
        });
        return out;
    }

    /** The mutable state of one training run. */
    private final class Run {
        private final NDManager manager;
        private final UNet unet;
        private final List<String> names = new ArrayList<>();
        private final List<NDArray> parameters = new ArrayList<>();
        /** Detached views sharing the parameters' storage: in-place updates without autograd. */
        private final List<NDArray> weights = new ArrayList<>();
        private final AdamW optimizer;
        private final WeightAverage average;
        private long step;
        private double lossAverage;
        private double priorSeconds;
        private long startNanos;
        private long firstStepOfThisRun;
        private Path lastCheckpoint;

        Run(NDManager manager, UNet unet) {
            this.manager = manager;
            this.unet = unet;
            List<Boolean> decayed = new ArrayList<>();
            for (Pair<String, Parameter> p : unet.getParameters()) {
                NDArray array = p.getValue().getArray();
                array.setRequiresGradient(true);
                names.add(p.getKey());
                parameters.add(array);
                NDArray view = array.stopGradient();
                view.attach(manager);
                weights.add(view);
                decayed.add(p.getValue().getType() == Parameter.Type.WEIGHT);
            }
            optimizer = new AdamW(manager, weights, decayed, config.weightDecay());
            average = new WeightAverage(manager, weights, config.emaDecay());
        }

        void loop(BatchSampler sampler, NoiseSchedule schedule) {
            ParameterStore parameterStore = new ParameterStore(manager, false);
            startNanos = System.nanoTime();
            firstStepOfThisRun = step;
            TrainingProgress progress = null;
            while (step < config.steps()) {
                long current = step + 1;
                BatchSampler.Batch batch = sampler.sample(BatchSampler.stepRandom(config.seed(), current));
                double learningRate = config.learningRateAt(current);
                double loss;
                try (NDScope scope = new NDScope(); NDManager stepManager = manager.newSubManager()) {
                    scope.suppressNotUsedWarning();
                    loss = trainStep(stepManager, parameterStore, schedule, batch, learningRate, current);
                }
                step = current;
                lossAverage = LOSS_SMOOTHING * lossAverage + (1 - LOSS_SMOOTHING) * loss;
                progress = progress(loss, learningRate);
                for (TrainingListener l : listeners) {
                    l.onStep(progress);
                }
                if (config.checkpointDir() != null && (step % config.checkpointEvery() == 0 || step == config.steps())) {
                    checkpoint();
                }
            }
            if (progress != null) {
                for (TrainingListener l : listeners) {
                    l.onFinished(progress);
                }
            }
        }

        /** Forward, backward, NaN guard, clipping, AdamW and EMA; returns the loss. */
        private double trainStep(NDManager stepManager, ParameterStore parameterStore, NoiseSchedule schedule,
                                 BatchSampler.Batch batch, double learningRate, long current) {
            NDArray normal = ImageTensors.toModelSpace(stepManager, batch.normal());
            NDArray anomalous = batch.anomalous() == batch.normal()
                    ? normal : ImageTensors.toModelSpace(stepManager, batch.anomalous());
            NDArray noise = stepManager.create(batch.noise(), normal.getShape());
            TrainingTargets targets = TrainingTargets.of(schedule, normal, anomalous, noise, batch.timesteps());
            float[] t = new float[batch.timesteps().length];
            for (int i = 0; i < t.length; i++) {
                t[i] = batch.timesteps()[i];
            }
            NDArray timesteps = stepManager.create(t);

            NDArray lossArray;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray predicted = unet.forward(parameterStore, new NDList(targets.input(), timesteps), true)
                        .singletonOrThrow();
                lossArray = predicted.sub(targets.target()).square().mean();
                collector.backward(lossArray);
            }
            double loss = lossArray.getFloat();
            if (!Double.isFinite(loss)) {
                throw new TrainingDivergedException("loss", loss, current, lastCheckpoint);
            }

            List<NDArray> grads = new ArrayList<>(parameters.size());
            NDArray squaredNorm = stepManager.zeros(new Shape());
            for (NDArray p : parameters) {
                NDArray g = p.getGradient();
                grads.add(g);
                squaredNorm = squaredNorm.add(g.square().sum());
            }
            double norm = Math.sqrt(squaredNorm.getFloat());
            if (!Double.isFinite(norm)) {
                throw new TrainingDivergedException("gradient norm", norm, current, lastCheckpoint);
            }
            if (config.gradientClipNorm() > 0 && norm > config.gradientClipNorm()) {
                double scale = config.gradientClipNorm() / (norm + 1e-6);
                grads.forEach(g -> g.muli(scale));
            }
            optimizer.step(grads, learningRate, current);
            average.update(weights, current);
            grads.forEach(g -> g.subi(g));
            return loss;
        }

        private TrainingProgress progress(double loss, double learningRate) {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            long done = step - firstStepOfThisRun;
            double stepsPerSecond = seconds > 0 ? done / seconds : 0;
            double eta = stepsPerSecond > 0 ? (config.steps() - step) / stepsPerSecond : Double.POSITIVE_INFINITY;
            double smoothed = lossAverage / (1 - Math.pow(LOSS_SMOOTHING, step));
            return new TrainingProgress(step, config.steps(), loss, smoothed, stepsPerSecond, eta, learningRate);
        }

        double elapsedSeconds() {
            return priorSeconds + (System.nanoTime() - startNanos) / 1e9;
        }

        Map<String, NDArray> averagedWeights() {
            return named("", average.averages());
        }

        private void checkpoint() {
            for (int i = 0; i < weights.size(); i++) {
                try (NDArray sumArray = weights.get(i).sum()) {
                    double sum = sumArray.getFloat();
                    if (!Double.isFinite(sum)) {
                        throw new TrainingDivergedException("weight " + names.get(i), sum, step, lastCheckpoint);
                    }
                }
            }
            Map<String, NDArray> arrays = new LinkedHashMap<>(named(Checkpoints.WEIGHTS, weights));
            arrays.putAll(named(Checkpoints.EMA, average.averages()));
            arrays.putAll(named(Checkpoints.FIRST_MOMENTS, optimizer.firstMoments()));
            arrays.putAll(named(Checkpoints.SECOND_MOMENTS, optimizer.secondMoments()));
            Checkpoints.State state = new Checkpoints.State(step, elapsedSeconds(), lossAverage, unet.config(), config.seed());
            lastCheckpoint = Checkpoints.save(config.checkpointDir(), state, arrays);
            for (TrainingListener l : listeners) {
                l.onCheckpoint(step, lastCheckpoint);
            }
        }

        /** Continues from {@code checkpoint}, whose weights the network already holds. */
        void resume(Path checkpoint, Map<String, NDArray> saved) {
            Checkpoints.State state = Checkpoints.readState(checkpoint);
            if (!state.config().equals(unet.config()) || state.seed() != config.seed()) {
                throw new IllegalStateException("checkpoint " + checkpoint + " belongs to another run (config or seed"
                        + " differ); remove it or choose another checkpoint directory");
            }
            copyInto(Checkpoints.EMA, average.averages(), saved, checkpoint);
            copyInto(Checkpoints.FIRST_MOMENTS, optimizer.firstMoments(), saved, checkpoint);
            copyInto(Checkpoints.SECOND_MOMENTS, optimizer.secondMoments(), saved, checkpoint);
            step = state.step();
            lossAverage = state.lossAverage();
            priorSeconds = state.elapsedSeconds();
            lastCheckpoint = checkpoint;
        }

        private void copyInto(String prefix, List<NDArray> targets, Map<String, NDArray> saved, Path checkpoint) {
            for (int i = 0; i < targets.size(); i++) {
                NDArray source = saved.get(prefix + names.get(i));
                if (source == null || !source.getShape().equals(targets.get(i).getShape())) {
                    throw new IllegalStateException("checkpoint " + checkpoint + " lacks " + prefix + names.get(i)
                            + " in the expected shape");
                }
                targets.get(i).set(source.toByteBuffer());
            }
        }

        private Map<String, NDArray> named(String prefix, List<NDArray> arrays) {
            Map<String, NDArray> out = new LinkedHashMap<>();
            for (int i = 0; i < arrays.size(); i++) {
                out.put(prefix + names.get(i), arrays.get(i));
            }
            return out;
        }
    }
}
