package com.gladstream.cli.service;

import com.gladstream.local.broker.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code glad broker}: a single-node Kafka (KRaft) broker in this JVM, until Ctrl-C. */
@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a single-node Kafka broker (KRaft, broker and controller in one) until interrupted.",
            "With --data-dir the topics survive a restart; without it they live in a temporary directory"
                    + " deleted on exit."
        })
public final class BrokerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "9092",
            description = "Client port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--controller-port", defaultValue = "0",
            description = "KRaft controller port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the broker keeps its data; reused when it already holds one.")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        EmbeddedKafkaBroker broker = dataDir == null
                ? EmbeddedKafkaBroker.inTemporaryDirectory(port, controllerPort)
                : new EmbeddedKafkaBroker(dataDir, port, controllerPort, Map.of());
        UntilCtrlC untilCtrlC = UntilCtrlC.stopWith(broker::close, "broker-shutdown");
        broker.start();
        UntilCtrlC.announce(spec.commandLine().getOut(), "Kafka broker ready; bootstrap servers: "
                + broker.bootstrapServers() + " (data in " + broker.dataDir()
                + (dataDir == null ? ", deleted on exit)" : ")"));
        untilCtrlC.await();
        return 0;
    }
}
