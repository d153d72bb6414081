package com.gladstream.streams;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deserializer that waits out a schema registry outage instead of failing: for the global table,
 * whose thread cannot be replaced (its failure stops the whole application), so a registry that is
 * down while a model is published must cost time, not the service. Bad records still fail at once.
 */
final class RetryingDeserializer<T> implements Deserializer<T> {

    private static final Logger log = LoggerFactory.getLogger(RetryingDeserializer.class);

    private final Deserializer<T> delegate;
    private final Duration initialWait;
    private final Duration maxWait;

    RetryingDeserializer(Deserializer<T> delegate, Duration initialWait, Duration maxWait) {
        this.delegate = delegate;
        this.initialWait = initialWait;
        this.maxWait = maxWait;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        delegate.configure(configs, isKey);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return deserialize(topic, null, data);
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        Backoff backoff = new Backoff(initialWait, maxWait);
        for (int attempt = 1; ; attempt++) {
            try {
                return headers == null ? delegate.deserialize(topic, data) : delegate.deserialize(topic, headers, data);
            } catch (RuntimeException e) {
                if (!RegistryOutages.isOutage(e)) {
                    throw e;
                }
                try {
                    Duration waited = backoff.sleep();
                    log.warn("schema registry unavailable while reading {} (attempt {}); retried after {} ms: {}",
                            topic, attempt, waited.toMillis(), e.getMessage());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new InterruptException(interrupted);
                }
            }
        }
    }

    @Override
    public void close() {
        delegate.close();
    }
}
