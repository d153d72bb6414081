package com.gladstream.local.registry;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Confluent-compatible schema registry (the REST subset the project's clients use) served by the
 * JDK's HTTP server. Supported: register, lookup, subjects, versions, schemas by id, global and
 * per-subject compatibility configuration, compatibility checks; Avro schemas only, no deletes.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    private static final int HTTP_THREADS = 4;

    private final HttpServer server;
    private final ExecutorService executor;
    private final RegistryHttpHandler handler;
    private final SchemaStore store;

    private EmbeddedSchemaRegistry(HttpServer server, ExecutorService executor, RegistryHttpHandler handler,
            SchemaStore store) {
        this.server = server;
        this.executor = executor;
        this.handler = handler;
        this.store = store;
    }

    /**
     * Replays {@code store} and starts serving on {@code port} (0 picks a free port; see {@link #url()}).
     * The registry owns the store from here on and closes it on {@link #close()}.
     */
    public static EmbeddedSchemaRegistry start(int port, SchemaStore store) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        SchemaRegistry registry;
        try {
            registry = new SchemaRegistry(store);
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            store.close();
            throw new IOException("could not listen on port " + port + " for the schema registry: " + e.getMessage(), e);
        }
        RegistryHttpHandler handler = new RegistryHttpHandler(registry);
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(HTTP_THREADS, task -> {
            Thread thread = new Thread(task, "schema-registry-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", handler);
        server.setExecutor(executor);
        server.start();
        return new EmbeddedSchemaRegistry(server, executor, handler, store);
    }

    /** A registry on a free port that keeps its schemas in memory. */
    public static EmbeddedSchemaRegistry inMemory() throws IOException {
        return start(0, new InMemorySchemaStore());
    }

    /** The base URL clients use, e.g. {@code http://localhost:8081}. */
    public String url() {
        return "http://localhost:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Where schemas are kept, for the operator. */
    public String storeDescription() {
        return store.describe();
    }

    /** HTTP requests answered so far, including failed ones. */
    public long requestsServed() {
        return handler.requestsServed();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        store.close();
    }
}
