package com.gladstream.cli.service;

import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.worker.InferenceWorker;
import com.gladstream.worker.WorkerSettings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code glad worker}: the inference worker, until Ctrl-C. */
@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        description = {
            "Runs an inference worker until interrupted.",
            "It reads validated requests, micro-batches them per category, runs GLAD on the model each"
                    + " category's latest ModelPublished names, writes heatmaps and produces one result or dead letter per"
                    + " request, exactly once. Start several with one worker.group-id to scale out. Health and metrics are"
                    + " served on worker.http.port (8090).",
            ConfigOption.SETTINGS_HELP
        })
public final class WorkerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption configOption;

    @Override
    public Integer call() throws Exception {
        ServiceConfig config = configOption.load();
        try (InferenceWorker worker = new InferenceWorker(config)) {
            WorkerSettings settings = worker.settings();
            UntilCtrlC.announce(spec.commandLine().getOut(), "worker " + settings.workerId() + " on "
                    + config.bootstrapServers() + ", schema registry " + config.registryUrl() + "; reading "
                    + settings.topics().requests() + ", models from " + settings.modelStore().toAbsolutePath()
                    + ", heatmaps to " + settings.heatmapDir().toAbsolutePath());
            worker.runUntilShutdown();
        }
        return 0;
    }
}
