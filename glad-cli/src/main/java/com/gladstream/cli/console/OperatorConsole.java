package com.gladstream.cli.console;

import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.schemas.registry.HttpSchemaRegistryClient;
import com.gladstream.worker.kafka.KafkaClients;
import com.gladstream.worker.kafka.WorkerSerdes;
import java.io.IOException;

/**
 * The live operator page: a Kafka feed into a bounded view, served over HTTP with server-sent
 * events. Runs against any cluster and registry ({@code glad console}) and inside {@code glad demo}.
 */
public final class OperatorConsole implements AutoCloseable {

    private final ConsoleSettings settings;
    private final ConsoleFeed feed;
    private final ConsoleServer server;

    private OperatorConsole(ConsoleSettings settings, ConsoleFeed feed, ConsoleServer server) {
        this.settings = settings;
        this.feed = feed;
        this.server = server;
    }

    /** Starts reading Kafka and serving the page, with {@code settings} read from {@code config}. */
    public static OperatorConsole start(ServiceConfig config, ConsoleSettings settings) throws IOException {
        OperatorView view = new OperatorView(settings.results(), settings.inputBytes());
        WorkerSerdes serdes = WorkerSerdes.using(new HttpSchemaRegistryClient(config.registryUrl()));
        ConsoleFeed feed = new ConsoleFeed(new KafkaClients(config), serdes, settings, view);
        ConsoleServer server;
        try {
            server = new ConsoleServer(view, settings);
        } catch (IOException e) {
            feed.close();
            throw new IOException("cannot serve the console on " + settings.host() + ":" + settings.port() + ": "
                    + e.getMessage(), e);
        }
        feed.start();
        return new OperatorConsole(settings, feed, server);
    }

    public ConsoleSettings settings() {
        return settings;
    }

    /** The page's address. */
    public String url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
        feed.close();
    }
}
