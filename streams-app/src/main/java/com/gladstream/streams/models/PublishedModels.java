package com.gladstream.streams.models;

import java.util.Optional;
import java.util.Set;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import com.gladstream.schemas.ModelPublished;

/**
 * The newest published model of each category, read from the global table over the compacted
 * models topic, plus the categories configured up front. A category is known when either has it.
 */
public final class PublishedModels {

    /** The global store holding the models topic, keyed by category. */
    public static final String STORE = "published-models";

    private final TimestampedKeyValueStore<String, ModelPublished> store;
    private final Set<String> configuredCategories;

    private PublishedModels(TimestampedKeyValueStore<String, ModelPublished> store, Set<String> configuredCategories) {
        this.store = store;
        this.configuredCategories = Set.copyOf(configuredCategories);
    }

    /** The view a processor gets of the global store; call from {@code Processor.init}. */
    public static PublishedModels in(ProcessorContext<?, ?> context, Set<String> configuredCategories) {
        return new PublishedModels(context.getStateStore(STORE), configuredCategories);
    }

    public boolean isKnownCategory(String category) {
        return category != null && (configuredCategories.contains(category) || latest(category).isPresent());
    }

    public Optional<ModelPublished> latest(String category) {
        ValueAndTimestamp<ModelPublished> entry = store.get(category);
        return entry == null ? Optional.empty() : Optional.ofNullable(entry.value());
    }
}
