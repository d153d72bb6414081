package com.gladstream.cli.service;

import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.worker.training.TrainerService;
import com.gladstream.worker.training.TrainerSettings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code glad trainer}: the trainer role, until Ctrl-C. */
@Command(
        name = "trainer",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the trainer until interrupted.",
            "For each retrain request on the control topic it fine-tunes the category's serving model on the NORMAL"
                    + " samples recorded since it was published (ATP, bounded steps), validates the candidate against the"
                    + " serving model and publishes it as the next version, or says on the control topic why not. It runs"
                    + " as a process of its own, so training has its own PyTorch thread budget (GLAD_JAVA_OPTS).",
            ConfigOption.SETTINGS_HELP
        })
public final class TrainerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption configOption;

    @Override
    public Integer call() throws Exception {
        ServiceConfig config = configOption.load();
        try (TrainerService trainer = new TrainerService(config)) {
            TrainerSettings s = trainer.settings();
            UntilCtrlC.announce(spec.commandLine().getOut(), "trainer on " + config.bootstrapServers() + ", schema registry "
                    + config.registryUrl() + "; reading " + s.topics().control() + ", models in "
                    + s.modelStore().toAbsolutePath() + " (" + s.steps() + " steps, at least " + s.minSamples()
                    + " samples, margin " + s.validationMargin() + ")");
            trainer.runUntilShutdown();
        }
        return 0;
    }
}
