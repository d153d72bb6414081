package com.gladstream.worker.training;

import com.gladstream.glad.image.FloatImage;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.SampleLabel;
import com.gladstream.worker.images.RequestDecoder;
import com.gladstream.worker.images.RequestRejectedException;
import com.gladstream.worker.kafka.KafkaClients;
import com.gladstream.worker.kafka.RegistryRetry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers a category's NORMAL samples from the samples topic: those recorded at or after a time (the
 * serving model's publication), up to the end offsets taken when gathering starts, each decoded
 * under the worker's caps ({@link RequestDecoder#decodeImage}). A sample that does not decode is
 * counted and left out, as is a second sample with an event id already taken (a replay).
 */
public final class NormalSamples {

    private static final Logger log = LoggerFactory.getLogger(NormalSamples.class);

    /** One decoded sample; its event id seeds its noise, as at inference. */
    public record Sample(String eventId, FloatImage image) {}

    /** The newest samples (at most the cap), oldest first, and how many were left out as undecodable. */
    public record Gathered(List<Sample> samples, int undecodable, int overCap) {}

    private final KafkaClients clients;
    private final String topic;
    private final Deserializer<ImageEvent> images;
    private final RegistryRetry registry;
    private final RequestDecoder decoder;

    public NormalSamples(KafkaClients clients, String topic, Deserializer<ImageEvent> images, RegistryRetry registry,
            RequestDecoder decoder) {
        this.clients = clients;
        this.topic = topic;
        this.images = images;
        this.registry = registry;
        this.decoder = decoder;
    }

    public Gathered gather(String category, Instant since, int maxSamples) {
        // Keyed by event id in arrival order; only the newest maxSamples are decoded.
        LinkedHashMap<String, ImageEvent> events = new LinkedHashMap<>();
        int[] undecodableRecords = {0};
        try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer(null, 500)) {
            List<TopicPartition> partitions = TopicScan.partitions(consumer, topic);
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(p -> query.put(p, since.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> start = consumer.offsetsForTimes(query);
            for (TopicPartition p : partitions) {
                OffsetAndTimestamp at = start.get(p);
                consumer.seek(p, at == null ? end.get(p) : at.offset());
            }
            TopicScan.readTo(consumer, end, record -> {
                if (record.key() == null || !category.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                    return;
                }
                try {
                    if (record.value() == null) {
                        throw new SerializationException("the record has no value");
                    }
                    registry.awaitWriterSchema(record.value(), topic);
                    ImageEvent event = images.deserialize(topic, record.value());
                    if (category.equals(event.getCategory()) && event.getLabel() == SampleLabel.NORMAL) {
                        events.putIfAbsent(event.getEventId(), event);
                    }
                } catch (SerializationException e) {
                    undecodableRecords[0]++;
                    log.warn("undecodable sample at {}-{}@{}: {}", topic, record.partition(), record.offset(), e.getMessage());
                }
            });
        }
        int undecodable = undecodableRecords[0];
        List<ImageEvent> newest = new ArrayList<>(events.values());
        int overCap = Math.max(0, newest.size() - maxSamples);
        newest = newest.subList(overCap, newest.size());
        List<Sample> samples = new ArrayList<>(newest.size());
        for (ImageEvent event : newest) {
            try {
                samples.add(new Sample(event.getEventId(), decoder.decodeImage(event)));
            } catch (RequestRejectedException e) {
                undecodable++;
                log.warn("sample {} left out ({}): {}", event.getEventId(), e.reason(), e.getMessage());
            }
        }
        return new Gathered(samples, undecodable, overCap);
    }
}
