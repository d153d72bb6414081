package com.gladstream.cli.console;

import com.gladstream.schemas.ControlEvent;
import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.worker.kafka.KafkaClients;
import com.gladstream.worker.kafka.WorkerSerdes;
import com.gladstream.worker.training.ControlEvents;
import java.io.IOException;

/**
 * The live operator page: a Kafka feed into a bounded view, served over HTTP with server-sent
 * events. Runs against any cluster and registry ({@code glad console}) and inside {@code glad demo}.
 */
public final class OperatorConsole implements AutoCloseable {

    private final ConsoleSettings settings;
    private final ConsoleFeed feed;
    private final ConsoleServer server;
    private final ControlEvents control;

    private OperatorConsole(ConsoleSettings settings, ConsoleFeed feed, ConsoleServer server, ControlEvents control) {
        this.settings = settings;
        this.feed = feed;
        this.server = server;
        this.control = control;
    }

    /** Starts reading Kafka and serving the page, with {@code settings} read from {@code config}. */
    public static OperatorConsole start(ServiceConfig config, ConsoleSettings settings) throws IOException {
        OperatorView view = new OperatorView(settings.results(), settings.inputBytes());
        WorkerSerdes serdes = WorkerSerdes.from(config);
        KafkaClients clients = new KafkaClients(config);
        ConsoleFeed feed = new ConsoleFeed(clients, serdes, settings, view);
        ControlEvents control = new ControlEvents(clients, serdes.registry(), settings.topics().control());
        ConsoleServer server;
        try {
            server = new ConsoleServer(view, settings, category -> {
                ControlEvent request = ControlEvents.operatorRequest(category, null, "console");
                control.send(request);
                return request.getEventId();
            });
        } catch (IOException e) {
            feed.close();
            control.close();
            throw new IOException("cannot serve the console on " + settings.host() + ":" + settings.port() + ": "
                    + e.getMessage(), e);
        }
        feed.start();
        return new OperatorConsole(settings, feed, server, control);
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
        control.close();
    }
}
