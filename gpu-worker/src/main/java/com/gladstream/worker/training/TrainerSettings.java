package com.gladstream.worker.training;

import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.schemas.config.Topics;
import com.gladstream.worker.WorkerSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the trainer role is configured with, read once from the service configuration (environment
 * overrides per {@link ServiceConfig}). docs/DESIGN.md ("Retraining") explains the loop and its gates.
 * The model store and the decoding caps applied to samples are the worker's settings ({@link WorkerSettings}).
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>retrain.group-id</td><td>glad-trainer</td><td>consumer group of the control topic shared by trainers</td></tr>
 *   <tr><td>retrain.work-dir</td><td>retrain-work</td><td>where a run writes its samples as a train/good folder</td></tr>
 *   <tr><td>retrain.min-samples</td><td>20</td><td>fewest usable samples a run trains on (after exclusions)</td></tr>
 *   <tr><td>retrain.max-samples</td><td>200</td><td>most samples a run takes, the newest first</td></tr>
 *   <tr><td>retrain.steps</td><td>200</td><td>fine-tuning steps unless the request names its own</td></tr>
 *   <tr><td>retrain.max-steps</td><td>5000</td><td>most steps a request may ask for</td></tr>
 *   <tr><td>retrain.batch-size</td><td>8</td><td>samples per fine-tuning step</td></tr>
 *   <tr><td>retrain.crop-size</td><td>0</td><td>random training crops; 0 trains on whole images</td></tr>
 *   <tr><td>retrain.validation-margin</td><td>0.05</td><td>largest drop in validation image AUROC against the serving model that is still published</td></tr>
 *   <tr><td>retrain.exclude-factor</td><td>2.0</td><td>a sample the serving model scores above this × its threshold is left out as a likely defect</td></tr>
 *   <tr><td>retrain.duty-cycle</td><td>1.0</td><td>share of wall time the training thread computes; below 1 it pauses after each step</td></tr>
 *   <tr><td>retrain.torch-threads</td><td>0</td><td>PyTorch intra-op threads set on the training thread; 0 keeps the process's</td></tr>
 *   <tr><td>retrain.textures</td><td>none</td><td>texture images for ATP's synthetic anomalies and the validation set</td></tr>
 *   <tr><td>retrain.progress-interval</td><td>5s</td><td>least time between two progress events of a run</td></tr>
 * </table>
 */
public record TrainerSettings(
        Topics topics,
        String groupId,
        Path modelStore,
        Path workDir,
        int minSamples,
        int maxSamples,
        int steps,
        int maxSteps,
        int batchSize,
        int cropSize,
        double validationMargin,
        double excludeFactor,
        double dutyCycle,
        int torchThreads,
        Path textures,
        Duration progressInterval,
        long maxPixels,
        long maxImageBytes) {

    public TrainerSettings {
        if (maxSamples < minSamples) {
            throw new IllegalArgumentException("retrain.max-samples (" + maxSamples + ") must be at least retrain.min-samples ("
                    + minSamples + ")");
        }
        if (steps > maxSteps) {
            throw new IllegalArgumentException("retrain.steps (" + steps + ") is over retrain.max-steps (" + maxSteps + ")");
        }
    }

    public static TrainerSettings from(ServiceConfig config) {
        String textures = config.string("retrain.textures", "");
        WorkerSettings worker = WorkerSettings.from(config);
        return new TrainerSettings(
                config.topics(),
                config.string("retrain.group-id", "glad-trainer"),
                worker.modelStore(),
                Path.of(config.string("retrain.work-dir", "retrain-work")),
                // Fewer than 4 leave no training image beside the 3 held out for validation.
                config.integer("retrain.min-samples", 20, 4),
                config.integer("retrain.max-samples", 200, 4),
                config.integer("retrain.steps", 200, 1),
                config.integer("retrain.max-steps", 5000, 1),
                config.integer("retrain.batch-size", 8, 1),
                config.integer("retrain.crop-size", 0, 0),
                config.decimal("retrain.validation-margin", 0.05, -1, 1),
                config.decimal("retrain.exclude-factor", 2.0, 1, 1e6),
                config.decimal("retrain.duty-cycle", 1.0, 0.01, 1),
                config.integer("retrain.torch-threads", 0, 0),
                textures.isEmpty() ? null : Path.of(textures),
                config.duration("retrain.progress-interval", Duration.ofSeconds(5)),
                worker.maxPixels(),
                worker.maxImageBytes());
    }
}
