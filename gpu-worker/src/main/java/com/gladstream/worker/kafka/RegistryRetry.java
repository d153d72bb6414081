package com.gladstream.worker.kafka;

import com.gladstream.schemas.registry.SchemaRegistryClient;
import com.gladstream.schemas.registry.SchemaRegistryException;
import com.gladstream.schemas.serde.WireFormat;
import java.io.IOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes a record only once its writer schema is known. The schema is fetched first, apart from
 * decoding, so that a registry that does not answer properly (down, 5xx, 401/403/429, wrong base
 * path) is told apart from a bad record: the first is waited out with backoff, never dead-lettered;
 * only "no such schema id" or bytes that do not decode make a record bad.
 */
public final class RegistryRetry {

    private static final Logger log = LoggerFactory.getLogger(RegistryRetry.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final SchemaRegistryClient registry;
    private final BooleanSupplier running;

    public RegistryRetry(SchemaRegistryClient registry, BooleanSupplier running) {
        this.registry = registry;
        this.running = running;
    }

    /**
     * Makes sure the writer schema of {@code payload} is in the client's cache, waiting out registry
     * failures while the worker runs.
     *
     * @throws SerializationException if the payload has no valid header or its schema id is unknown
     * @throws RegistryUnavailableException if the worker stops while the registry is still failing
     */
    public void awaitWriterSchema(byte[] payload, String topic) {
        int id = WireFormat.readSchemaId(payload, topic);
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            try {
                registry.getById(id);
                return;
            } catch (SchemaRegistryException e) {
                if (e.httpStatus() == 404 && e.errorCode() == 40403) {
                    throw new SerializationException("record from topic " + topic + ": unknown schema id " + id, e);
                }
                waitOut(e, id, backoff);
            } catch (IOException e) {
                waitOut(e, id, backoff);
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private void waitOut(IOException failure, int id, Duration backoff) {
        if (!running.getAsBoolean()) {
            throw new RegistryUnavailableException("stopped while the schema registry was failing", failure);
        }
        log.warn("schema registry failed fetching schema id {} ({}); retrying in {} ms", id, failure.getMessage(),
                backoff.toMillis());
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while waiting for the schema registry", e);
        }
    }
}
