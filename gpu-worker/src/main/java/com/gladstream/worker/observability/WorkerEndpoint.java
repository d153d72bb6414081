package com.gladstream.worker.observability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code /metrics} (Prometheus text format) and {@code /health} (200 with a JSON status while the
 * worker serves, 503 otherwise) on one small HTTP server, bound to loopback unless configured.
 */
public final class WorkerEndpoint implements AutoCloseable {

    /** What {@code /health} reports. */
    public record Health(boolean up, String json) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "glad-worker-http");
        t.setDaemon(true);
        return t;
    });

    public WorkerEndpoint(String host, int port, WorkerMetrics metrics, Supplier<Health> health) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext("/metrics", exchange -> respond(exchange, 200, "text/plain; version=0.0.4", metrics.scrape()));
        server.createContext("/health", exchange -> {
            Health h = health.get();
            respond(exchange, h.up() ? 200 : 503, "application/json", h.json());
        });
        server.setExecutor(executor);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
