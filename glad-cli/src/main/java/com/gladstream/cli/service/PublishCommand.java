package com.gladstream.cli.service;

import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.model.ModelStore;
import com.gladstream.schemas.ModelPublished;
import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.worker.WorkerSettings;
import com.gladstream.worker.kafka.KafkaClients;
import com.gladstream.worker.kafka.WorkerSerdes;
import com.gladstream.worker.models.ModelAnnouncer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code glad publish}: puts a trained model into service, the way a category gets its first model. */
@Command(
        name = "publish",
        mixinStandardHelpOptions = true,
        description = {
            "Publishes a trained, calibrated model as its category's next version.",
            "Copies MODEL_DIR into the model store (models.dir) as <category>/v<N> and announces it on the models"
                    + " topic: the streams app then accepts the category and workers swap the version in.",
            ConfigOption.SETTINGS_HELP
        })
public final class PublishCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model-dir", required = true, paramLabel = "DIR", description = "A model glad train wrote.")
    Path modelDir;

    @Mixin
    ConfigOption configOption;

    @Override
    public Integer call() throws Exception {
        ServiceConfig config = configOption.load();
        try (GladModel model = ModelStore.load(modelDir)) {
            if (model.metadata().calibration() == null) {
                throw new IllegalArgumentException(modelDir + " has no calibration; train it with glad train");
            }
            ModelPublished published = new ModelAnnouncer(new KafkaClients(config), WorkerSerdes.from(config),
                    config.topics().models(), WorkerSettings.from(config).modelStore())
                    .publish(model, model.metadata().metrics(), 0);
            spec.commandLine().getOut().printf(Locale.ROOT, "published %s %s (threshold %.4f) at %s on %s%n",
                    published.getCategory(), published.getVersion(), published.getThreshold(), published.getUri(),
                    config.topics().models());
        }
        return 0;
    }
}
