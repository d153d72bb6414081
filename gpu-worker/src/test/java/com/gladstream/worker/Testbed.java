package com.gladstream.worker;

import com.gladstream.glad.model.GladModel;
import com.gladstream.local.registry.EmbeddedSchemaRegistry;
import com.gladstream.local.testing.KafkaCluster;
import com.gladstream.schemas.AnomalyResult;
import com.gladstream.schemas.ImageEncoding;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.InferenceRequest;
import com.gladstream.schemas.ModelPublished;
import com.gladstream.schemas.RejectedImage;
import com.gladstream.schemas.SampleLabel;
import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.schemas.config.Topics;
import com.gladstream.schemas.registry.HttpSchemaRegistryClient;
import com.gladstream.worker.kafka.KafkaClients;
import com.gladstream.worker.kafka.WorkerSerdes;
import com.gladstream.worker.models.ModelAnnouncer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real broker and schema registry for worker tests, with one set of topics (a fresh prefix) and
 * one model store and heatmap store per scenario, and helpers to produce requests and read what
 * came out, read committed.
 */
final class Testbed implements AutoCloseable {

    private static KafkaCluster cluster;
    private static EmbeddedSchemaRegistry registry;

    final Path root;
    final Topics topics;
    final WorkerSerdes serdes;
    private final Map<String, String> settings = new HashMap<>();

    Testbed(Path root) {
        startShared();
        this.root = root;
        String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
        settings.put(ServiceConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
        settings.put(ServiceConfig.REGISTRY_URL, registry.url());
        for (String role : List.of("images", "requests", "results", "statistics", "dead-letter", "control", "models",
                "samples")) {
            settings.put("topic." + role, prefix + role);
        }
        settings.put("topics.partitions", "3");
        settings.put("models.dir", root.resolve("models").toString());
        settings.put("heatmaps.dir", root.resolve("heatmaps").toString());
        settings.put("worker.group-id", prefix + "workers");
        settings.put("worker.http.port", "0");
        settings.put("batch.max-wait", "30ms");
        settings.put("batch.max-size", "4");
        settings.put("worker.max-in-flight", "8");
        try {
            Files.createDirectories(root.resolve("models"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.topics = config(Map.of()).topics();
        this.serdes = WorkerSerdes.using(new HttpSchemaRegistryClient(registry.url()));
    }

    private static synchronized void startShared() {
        if (cluster == null) {
            cluster = KafkaCluster.start();
            try {
                registry = EmbeddedSchemaRegistry.inMemory();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                registry.close();
                cluster.close();
            }));
        }
    }

    /** The scenario's settings with {@code overrides} on top. */
    ServiceConfig config(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(settings);
        all.putAll(overrides);
        return ServiceConfig.of(all, Map.of());
    }

    Map<String, String> settings() {
        return Map.copyOf(settings);
    }

    String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    String registryUrl() {
        return registry.url();
    }

    /** Stores the model as its category's next version and announces it on the models topic. */
    ModelPublished publish(GladModel model) {
        return new ModelAnnouncer(new KafkaClients(config(Map.of())), serdes, topics.models(), root.resolve("models"))
                .publish(model, Map.of(), 0);
    }

    static ImageEvent.Builder event(String category, byte[] png) {
        return ImageEvent.newBuilder()
                .setEventId("ev-" + UUID.randomUUID())
                .setCameraId("cam-1")
                .setCategory(category)
                .setCaptureTime(Instant.now())
                .setImageBytes(png == null ? null : ByteBuffer.wrap(png))
                .setEncoding(ImageEncoding.PNG)
                .setWidth(32)
                .setHeight(32)
                .setLabel(SampleLabel.UNLABELED);
    }

    static InferenceRequest request(ImageEvent event) {
        return InferenceRequest.newBuilder().setImage(event).setValidatedAt(Instant.now()).setSource("test").build();
    }

    /** Produces requests keyed by category, as the streams app does. */
    void produceRequests(List<InferenceRequest> requests) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (InferenceRequest r : requests) {
            records.add(new ProducerRecord<>(topics.requests(), r.getImage().getCategory().getBytes(StandardCharsets.UTF_8),
                    serdes.requests().serializer().serialize(topics.requests(), r)));
        }
        produce(records);
    }

    /**
     * Produces and waits for every acknowledgement; a record that could not be written fails the test
     * here instead of going missing. Waits first until each topic's partitions all have a leader: a
     * topic the worker has just created can still answer NOT_LEADER_OR_FOLLOWER, after which the
     * idempotent producer was seen retrying one partition's batch out of sequence until it timed out.
     * Plain retries of one request at a time keep order without sequence numbers (a batch the broker
     * refused as not its leader was not written, so a retry cannot duplicate it).
     */
    void produce(List<ProducerRecord<byte[], byte[]>> records) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String topic : records.stream().map(ProducerRecord::topic).distinct().toList()) {
                awaitLeaders(producer, topic);
            }
            List<Future<RecordMetadata>> sent = records.stream().map(producer::send).toList();
            producer.flush();
            for (Future<RecordMetadata> ack : sent) {
                ack.get(60, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("a test record was not written", e);
        }
    }

    private static void awaitLeaders(KafkaProducer<byte[], byte[]> producer, String topic) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (producer.partitionsFor(topic).stream().anyMatch(p -> p.leader() == null || p.leader().isEmpty())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " has partitions without a leader after 60 s");
            }
            Thread.sleep(50);
        }
    }

    /** What came out, read committed. */
    record Output(List<AnomalyResult> results, List<RejectedImage> deadLetters) {
        int size() {
            return results.size() + deadLetters.size();
        }
    }

    /**
     * Reads results and dead letters until {@code done} holds (or the deadline passes), then two
     * more seconds so that duplicates, if any, arrive too.
     */
    Output read(Predicate<Output> done, Duration deadline) {
        Output out = new Output(new ArrayList<>(), new ArrayList<>());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.results(), topics.deadLetter()));
            long end = System.nanoTime() + deadline.toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(end, settleUntil)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(topics.results())) {
                        out.results().add(serdes.results().deserializer().deserialize(r.topic(), r.value()));
                    } else {
                        out.deadLetters().add(serdes.rejections().deserializer().deserialize(r.topic(), r.value()));
                    }
                }
                if (settleUntil == Long.MAX_VALUE && done.test(out)) {
                    settleUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        // The broker and registry are shared by every scenario of the JVM; topics are per scenario.
    }
}
