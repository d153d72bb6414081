package com.gladstream.worker.training;

import com.gladstream.schemas.ControlEvent;
import com.gladstream.schemas.RetrainFailed;
import com.gladstream.schemas.RetrainProgress;
import com.gladstream.schemas.RetrainRequested;
import com.gladstream.schemas.RetrainSucceeded;
import com.gladstream.schemas.RetrainTrigger;
import com.gladstream.schemas.registry.SchemaRegistryClient;
import com.gladstream.schemas.serde.AvroSerdes;
import com.gladstream.worker.kafka.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;

/**
 * Writes to the control topic (key: category): operators' retrain requests, and what the trainer
 * makes of each request: progress, success or failure with its reason. Sends are synchronous, so an
 * event reported sent is on the broker.
 */
public final class ControlEvents implements AutoCloseable {

    private final String topic;
    private final Serde<ControlEvent> serde;
    private final KafkaProducer<byte[], byte[]> producer;

    public ControlEvents(KafkaClients clients, SchemaRegistryClient registry, String topic) {
        this.topic = topic;
        this.serde = serde(registry);
        this.producer = clients.producer();
    }

    /** The control topic's value serde. */
    public static Serde<ControlEvent> serde(SchemaRegistryClient registry) {
        return AvroSerdes.specific(ControlEvent.class, registry, true);
    }

    /** An operator's request to retrain {@code category}; {@code steps} null for the trainer's setting. */
    public static ControlEvent operatorRequest(String category, Integer steps, String requestedBy) {
        return event(category, RetrainRequested.newBuilder()
                .setTrigger(RetrainTrigger.OPERATOR)
                .setNormalSamples(0)
                .setRequestedBy(requestedBy)
                .setBaseModelVersion(null)
                .setSteps(steps)
                .build());
    }

    public void send(ControlEvent event) {
        try {
            producer.send(new ProducerRecord<>(topic, event.getCategory().getBytes(StandardCharsets.UTF_8),
                    serde.serializer().serialize(topic, event))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending to " + topic, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot send to " + topic + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Follows the control topic from its current end for up to {@code timeout}, handing every event
     * about {@code requestEventId} to {@code onEvent}, until its outcome arrives.
     *
     * @param fromOffsets where reading starts, taken by {@link #endOffsets} before the request was sent
     * @return the outcome ({@code RetrainSucceeded} or {@code RetrainFailed}), or empty at the timeout
     */
    public static Optional<ControlEvent> follow(KafkaClients clients, Serde<ControlEvent> serde, String topic,
            Map<TopicPartition, Long> fromOffsets, String requestEventId, Duration timeout,
            Consumer<ControlEvent> onEvent) {
        try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer(null, 100)) {
            consumer.assign(fromOffsets.keySet());
            fromOffsets.forEach(consumer::seek);
            long end = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < end) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    ControlEvent e = serde.deserializer().deserialize(topic, r.value());
                    if (!requestEventId.equals(requestEventId(e))) {
                        continue;
                    }
                    onEvent.accept(e);
                    if (e.getPayload() instanceof RetrainSucceeded || e.getPayload() instanceof RetrainFailed) {
                        return Optional.of(e);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The control topic's end offsets now: where {@link #follow} starts for a request about to be sent. */
    public static Map<TopicPartition, Long> endOffsets(KafkaClients clients, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer(null, 1)) {
            return consumer.endOffsets(TopicScan.partitions(consumer, topic));
        }
    }

    /** The request an outcome or progress event is about, or null for a request itself. */
    public static String requestEventId(ControlEvent e) {
        Object p = e.getPayload();
        return p instanceof RetrainFailed f ? f.getRequestEventId()
                : p instanceof RetrainSucceeded s ? s.getRequestEventId()
                : p instanceof RetrainProgress r ? r.getRequestEventId() : null;
    }

    void failed(String category, String requestEventId, String reason) {
        send(event(category, RetrainFailed.newBuilder().setRequestEventId(requestEventId).setReason(reason).build()));
    }

    void progress(String category, String requestEventId, String stage, long step, long totalSteps, double loss) {
        send(event(category, RetrainProgress.newBuilder().setRequestEventId(requestEventId).setStage(stage).setStep(step)
                .setTotalSteps(totalSteps).setLoss(Double.isFinite(loss) ? loss : 0.0).build()));
    }

    void succeeded(String category, String requestEventId, String version, String parentVersion, long samples,
            long excluded, Map<String, Double> metrics) {
        send(event(category, RetrainSucceeded.newBuilder().setRequestEventId(requestEventId).setVersion(version)
                .setParentVersion(parentVersion).setSamples(samples).setExcludedSamples(excluded)
                .setMetrics(Map.copyOf(metrics)).build()));
    }

    private static ControlEvent event(String category, Object payload) {
        return ControlEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setCategory(category)
                .setCreatedAt(Instant.now())
                .setPayload(payload)
                .build();
    }

    @Override
    public void close() {
        producer.close();
    }
}
