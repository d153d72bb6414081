package com.gladstream.cli.service;

import com.gladstream.local.registry.EmbeddedSchemaRegistry;
import com.gladstream.local.registry.InMemorySchemaStore;
import com.gladstream.local.registry.KafkaSchemaStore;
import com.gladstream.local.registry.SchemaStore;
import com.gladstream.schemas.config.ServiceConfig;
import java.net.InetAddress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code glad registry}: the Confluent-compatible schema registry as a service, until Ctrl-C. */
@Command(
        name = "registry",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a Confluent-compatible schema registry (Avro) until interrupted.",
            "Schemas are kept in a compacted Kafka topic when --bootstrap-servers is given, in memory otherwise.",
            "It listens on the loopback interface unless --bind names another. With the environment variable",
            "GLAD_REGISTRY_BASIC_AUTH_USER_INFO=user:password every request needs HTTP basic auth with those credentials."
        })
public final class RegistryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8081", description = "HTTP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Interface to listen on; 0.0.0.0 for every one (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka cluster that stores the schemas; without it they live in memory only.")
    String bootstrapServers;

    @Option(names = "--topic", defaultValue = KafkaSchemaStore.DEFAULT_TOPIC,
            description = "Compacted topic for the schemas (default: ${DEFAULT-VALUE}).")
    String topic;

    @Override
    public Integer call() throws Exception {
        SchemaStore store = bootstrapServers == null
                ? new InMemorySchemaStore()
                : new KafkaSchemaStore(bootstrapServers, topic);
        String userInfo = ServiceConfig.fromEnvironment().registryUserInfo().orElse(null);
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(
                new EmbeddedSchemaRegistry.Options(InetAddress.getByName(bind), port, userInfo), store);
        UntilCtrlC untilCtrlC = UntilCtrlC.stopWith(registry::close, "registry-shutdown");
        UntilCtrlC.announce(spec.commandLine().getOut(),
                "schema registry serving at " + registry.url() + (userInfo == null ? "" : " (basic auth)")
                        + ", schemas kept " + store.describe());
        untilCtrlC.await();
        return 0;
    }
}
