package com.gladstream.streams.models;

import java.util.Optional;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import com.gladstream.schemas.ModelPublished;

/** The newest published model of each category, read from the global table over the compacted models topic. */
public final class PublishedModels {

    /** The global store holding the models topic, keyed by category. */
    public static final String STORE = "published-models";

    private final TimestampedKeyValueStore<String, ModelPublished> store;

    private PublishedModels(TimestampedKeyValueStore<String, ModelPublished> store) {
        this.store = store;
    }

    /** The view a processor gets of the global store; call from {@code Processor.init}. */
    public static PublishedModels in(ProcessorContext<?, ?> context) {
        return new PublishedModels(context.getStateStore(STORE));
    }

    public Optional<ModelPublished> latest(String category) {
        ValueAndTimestamp<ModelPublished> entry = store.get(category);
        return entry == null ? Optional.empty() : Optional.ofNullable(entry.value());
    }
}
