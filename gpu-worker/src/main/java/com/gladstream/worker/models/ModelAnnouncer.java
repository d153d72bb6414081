package com.gladstream.worker.models;

import com.gladstream.glad.model.Calibration;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.model.ModelMetadata;
import com.gladstream.glad.model.ModelStore;
import com.gladstream.schemas.ModelPublished;
import com.gladstream.worker.kafka.KafkaClients;
import com.gladstream.worker.kafka.WorkerSerdes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes a calibrated model: written to the model store as the category's next version
 * (atomically), then announced on the compacted models topic, which workers follow to swap it in
 * and the streams app reads to accept the category.
 */
public final class ModelAnnouncer {

    private final KafkaClients clients;
    private final WorkerSerdes serdes;
    private final String topic;
    private final Path storeRoot;

    public ModelAnnouncer(KafkaClients clients, WorkerSerdes serdes, String topic, Path storeRoot) {
        this.clients = clients;
        this.serdes = serdes;
        this.topic = topic;
        this.storeRoot = storeRoot;
    }

    /** Stores {@code model} as a new version of its category and announces it; returns the announcement. */
    public ModelPublished publish(GladModel model, Map<String, Double> metrics, long trainingSamples) {
        String category = model.metadata().category();
        Path dir = ModelStore.publish(storeRoot, category, model);
        ModelMetadata stored;
        try {
            stored = ModelStore.readMetadata(dir);
        } catch (Exception e) {
            throw new IllegalStateException("published model " + dir + " cannot be read back: " + e.getMessage(), e);
        }
        Calibration calibration = stored.calibration();
        ModelPublished announcement = ModelPublished.newBuilder()
                .setCategory(category)
                .setVersion(stored.version())
                .setUri(dir.toAbsolutePath().toUri().toString())
                .setThreshold(calibration == null ? Double.NaN : calibration.threshold())
                .setMetrics(Map.copyOf(metrics))
                .setTrainingSamples(trainingSamples)
                .setDataHash(stored.dataHash() == null ? "" : stored.dataHash())
                .setPublishedAt(Instant.now())
                .build();
        try (KafkaProducer<byte[], byte[]> producer = clients.producer()) {
            producer.send(new ProducerRecord<>(topic, category.getBytes(StandardCharsets.UTF_8),
                    serdes.models().serializer().serialize(topic, announcement))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while announcing " + stored.version(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot announce model " + stored.version() + " on " + topic + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
        return announcement;
    }
}
