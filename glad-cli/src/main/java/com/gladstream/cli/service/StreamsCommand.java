package com.gladstream.cli.service;

import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.streams.StreamsService;
import com.gladstream.streams.StreamsSettings;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code glad streams}: the Kafka Streams application that validates, routes and summarises, until Ctrl-C. */
@Command(
        name = "streams",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the streams application (image validation and routing, dead letters, retrain trigger,"
                    + " windowed statistics) until interrupted.",
            ConfigOption.SETTINGS_HELP
        })
public final class StreamsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption configOption;

    @Override
    public Integer call() throws Exception {
        ServiceConfig config = configOption.load();
        StreamsSettings settings = StreamsSettings.from(config);
        // StreamsService installs its own shutdown hook; only the announcement is shared.
        UntilCtrlC.announce(spec.commandLine().getOut(), "streams application " + settings.applicationId() + " on "
                + config.bootstrapServers() + ", schema registry " + config.registryUrl() + "; reading "
                + settings.topics().images() + " and " + settings.topics().results());
        try (StreamsService service = new StreamsService(config)) {
            KafkaStreams.State finalState = service.runUntilShutdown();
            return finalState == KafkaStreams.State.ERROR ? 1 : 0;
        }
    }
}
