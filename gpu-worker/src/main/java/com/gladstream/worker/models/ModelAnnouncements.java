package com.gladstream.worker.models;

import com.gladstream.schemas.ModelPublished;
import com.gladstream.worker.kafka.RegistryRetry;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads records of the compacted models topic the one way every reader of it does (the workers'
 * watcher, the trainer, {@code glad models}): a tombstone is no announcement, a registry failure is
 * waited out, and an unreadable announcement is logged and skipped rather than stopping the reader.
 */
public final class ModelAnnouncements {

    private static final Logger log = LoggerFactory.getLogger(ModelAnnouncements.class);

    private final Deserializer<ModelPublished> deserializer;
    private final RegistryRetry registry;

    public ModelAnnouncements(Deserializer<ModelPublished> deserializer, RegistryRetry registry) {
        this.deserializer = deserializer;
        this.registry = registry;
    }

    /** The announcement in {@code record}, or empty for a tombstone or an unreadable one (logged). */
    public Optional<ModelPublished> read(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return Optional.empty();
        }
        try {
            registry.awaitWriterSchema(record.value(), record.topic());
            return Optional.of(deserializer.deserialize(record.topic(), record.value()));
        } catch (SerializationException e) {
            log.error("unreadable model announcement at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return Optional.empty();
        }
    }
}
