package com.gladstream.local.registry;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Confluent-compatible schema registry (the REST subset the project's clients use) served by the
 * JDK's HTTP server. Supported: register, lookup, subjects, versions, schemas by id, global and
 * per-subject compatibility configuration, compatibility checks; Avro schemas only, no deletes.
 *
 * <p>Locked down by default: it listens on the loopback interface only (another address must be
 * asked for, {@link Options#bindAddress}); with {@link Options#userInfo} every request needs HTTP
 * basic auth with those credentials (Confluent's {@code basic.auth.user.info}, {@code user:password}).
 * A request that has not been read within {@link #REQUEST_TIME_LIMIT_SECONDS} (or answered within
 * as long) has its connection closed, so slow clients cannot hold the {@link #HTTP_THREADS} threads,
 * and at most {@link #MAX_CONNECTIONS} connections are open, which bounds the queue of requests.
 * The JDK server reads these limits once per JVM from system properties; the registry sets them
 * unless they were given ({@code -Dsun.net.httpserver.maxReqTime=<seconds>},
 * {@code -Dsun.net.httpserver.maxRspTime=<seconds>}, {@code -Djdk.httpserver.maxConnections=<n>}).
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    static final int HTTP_THREADS = 4;
    public static final long REQUEST_TIME_LIMIT_SECONDS = limit("sun.net.httpserver.maxReqTime", 10);
    public static final long RESPONSE_TIME_LIMIT_SECONDS = limit("sun.net.httpserver.maxRspTime", 10);
    public static final long MAX_CONNECTIONS = limit("jdk.httpserver.maxConnections", 64);

    /**
     * How the registry serves.
     *
     * @param bindAddress the interface to listen on; {@link InetAddress#getLoopbackAddress()} keeps it on this machine
     * @param port        0 picks a free one
     * @param userInfo    {@code user:password} every request must present, or null for no authentication
     */
    public record Options(InetAddress bindAddress, int port, String userInfo) {

        public Options {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
            }
            if (userInfo != null && userInfo.indexOf(':') < 1) {
                throw new IllegalArgumentException("registry credentials must be user:password");
            }
        }

        /** Loopback only, no authentication. */
        public static Options local(int port) {
            return new Options(InetAddress.getLoopbackAddress(), port, null);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final RegistryHttpHandler handler;
    private final SchemaStore store;
    private final SchemaRegistry registry;

    private EmbeddedSchemaRegistry(HttpServer server, ExecutorService executor, RegistryHttpHandler handler,
            SchemaStore store, SchemaRegistry registry) {
        this.server = server;
        this.executor = executor;
        this.handler = handler;
        this.store = store;
        this.registry = registry;
    }

    /** {@link #start(Options, SchemaStore)} on loopback without authentication. */
    public static EmbeddedSchemaRegistry start(int port, SchemaStore store) throws IOException {
        return start(Options.local(port), store);
    }

    /**
     * Replays {@code store} and starts serving (see {@link #url()}). The registry owns the store
     * from here on and closes it on {@link #close()}.
     */
    public static EmbeddedSchemaRegistry start(Options options, SchemaStore store) throws IOException {
        SchemaRegistry registry;
        try {
            registry = new SchemaRegistry(store);
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(options.bindAddress(), options.port()), 0);
        } catch (IOException e) {
            store.close();
            throw new IOException("could not listen on " + options.bindAddress().getHostAddress() + ":" + options.port()
                    + " for the schema registry: " + e.getMessage(), e);
        }
        RegistryHttpHandler handler = new RegistryHttpHandler(registry, options.userInfo());
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(HTTP_THREADS, task -> {
            Thread thread = new Thread(task, "schema-registry-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", handler);
        server.setExecutor(executor);
        server.start();
        return new EmbeddedSchemaRegistry(server, executor, handler, store, registry);
    }

    /** A registry on a free loopback port that keeps its schemas in memory. */
    public static EmbeddedSchemaRegistry inMemory() throws IOException {
        return start(0, new InMemorySchemaStore());
    }

    /**
     * The base URL clients use: the address it listens on, e.g. {@code http://127.0.0.1:8081}, or
     * this machine's name when it listens on every interface.
     */
    public String url() {
        InetAddress address = server.getAddress().getAddress();
        String host;
        if (address.isAnyLocalAddress()) {
            host = localHostName();
        } else if (address instanceof Inet6Address) {
            host = "[" + address.getHostAddress() + "]";
        } else {
            host = address.getHostAddress();
        }
        return "http://" + host + ":" + port();
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

    /** Stored entries skipped at start because they could not be read or applied, each with why. */
    public List<String> skippedStoreEntries() {
        return registry.skippedEntries();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        store.close();
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** The JDK server's limit {@code property}, set to {@code fallback} unless given. */
    private static long limit(String property, long fallback) {
        String given = System.getProperty(property);
        if (given == null) {
            System.setProperty(property, String.valueOf(fallback));
            return fallback;
        }
        return Long.parseLong(given.trim());
    }
}
