package com.gladstream.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.function.Supplier;

import com.gladstream.local.registry.EmbeddedSchemaRegistry;
import com.gladstream.local.registry.SchemaStore;

/**
 * An embedded schema registry that can be stopped and started again on the same port, as a
 * registry restarted by its operator would be: clients keep their URL and reconnect.
 */
final class RestartableRegistry implements AutoCloseable {

    private final Supplier<SchemaStore> stores;
    private final String userInfo;
    private EmbeddedSchemaRegistry running;
    private int port;

    /** @param stores opens the store each start replays (the same memory, or a new client of the same topic) */
    RestartableRegistry(Supplier<SchemaStore> stores) {
        this(stores, null);
    }

    /** @param userInfo {@code user:password} every request must present, or null */
    RestartableRegistry(Supplier<SchemaStore> stores, String userInfo) {
        this.stores = stores;
        this.userInfo = userInfo;
        start();
    }

    synchronized void start() {
        if (running != null) {
            return;
        }
        try {
            running = EmbeddedSchemaRegistry.start(
                    new EmbeddedSchemaRegistry.Options(InetAddress.getLoopbackAddress(), port, userInfo), stores.get());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the schema registry on port " + port, e);
        }
        port = running.port();
    }

    synchronized void stop() {
        if (running != null) {
            running.close();
            running = null;
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop();
    }
}
