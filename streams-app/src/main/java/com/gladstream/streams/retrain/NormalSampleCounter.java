package com.gladstream.streams.retrain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import com.gladstream.schemas.ControlEvent;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.ModelPublished;
import com.gladstream.schemas.RetrainRequested;
import com.gladstream.schemas.RetrainTrigger;
import com.gladstream.streams.models.PublishedModels;

/**
 * Counts the NORMAL samples of each category since its newest published model and asks for
 * retraining when enough have accumulated.
 *
 * <p>Reads the samples topic, keyed by category, so each category is counted by one task. The count
 * belongs to the model that was newest when it was taken: when the models topic shows a newer
 * publication for the category, the next sample starts a fresh count.
 *
 * <p>A {@code RetrainRequested} (trigger {@code SAMPLE_COUNT}) is emitted when the count reaches
 * the threshold N, then again at 2N, 3N, ... while no new model appears: each is one crossing, so
 * a failed or lost retrain is asked for again after another N samples, never once per sample. Its
 * event id is derived from category, model and count, so a replay produces the same id.
 */
public final class NormalSampleCounter implements Processor<String, ImageEvent, String, ControlEvent> {

    /** The state store with one {@link NormalSampleCount} per category. */
    public static final String STORE = "normal-sample-counts";

    private final long threshold;
    private ProcessorContext<String, ControlEvent> context;
    private KeyValueStore<String, NormalSampleCount> counts;
    private PublishedModels models;

    public NormalSampleCounter(long threshold) {
        if (threshold < 1) {
            throw new IllegalArgumentException("the retrain threshold must be at least 1 sample, got " + threshold);
        }
        this.threshold = threshold;
    }

    /** The counts store this processor needs, to add to the topology. */
    public static StoreBuilder<?> countsStore() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), NormalSampleCount.serde());
    }

    @Override
    public void init(ProcessorContext<String, ControlEvent> context) {
        this.context = context;
        this.counts = context.getStateStore(STORE);
        this.models = PublishedModels.in(context);
    }

    @Override
    public void process(Record<String, ImageEvent> record) {
        ImageEvent sample = record.value();
        if (sample == null) {
            return;
        }
        String category = sample.getCategory();
        Optional<ModelPublished> model = models.latest(category);
        String baseline = model.map(m -> m.getVersion() + "@" + m.getPublishedAt().toEpochMilli()).orElse("");
        NormalSampleCount previous = counts.get(category);
        long samples = (previous == null || !previous.modelBaseline().equals(baseline)) ? 1 : previous.samples() + 1;
        counts.put(category, new NormalSampleCount(baseline, samples));
        if (samples % threshold == 0) {
            String baseVersion = model.map(ModelPublished::getVersion).orElse(null);
            context.forward(new Record<>(category, retrainRequest(category, baseline, baseVersion, samples),
                    record.timestamp()));
        }
    }

    private ControlEvent retrainRequest(String category, String baseline, String baseVersion, long samples) {
        String identity = "retrain:" + category + ":" + baseline + ":" + samples;
        return ControlEvent.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).toString())
                .setCategory(category)
                .setCreatedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .setPayload(RetrainRequested.newBuilder()
                        .setTrigger(RetrainTrigger.SAMPLE_COUNT)
                        .setNormalSamples(samples)
                        .setRequestedBy("normal-sample-counter")
                        .setBaseModelVersion(baseVersion)
                        .build())
                .build();
    }
}
