package com.gladstream.local.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.gladstream.local.registry.StoredEntry.CompatibilitySetting;
import com.gladstream.local.registry.StoredEntry.SchemaVersion;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the registry's entries in a compacted single-partition Kafka topic, keyed by
 * {@link StoredEntry#key()} with a JSON value, and replays it on start so ids survive restarts.
 * The topic is created (cleanup.policy=compact) if it does not exist. An entry that cannot be read
 * (not JSON, an unknown type, a missing field: written by something else) is skipped with a
 * warning and listed in {@link #unreadableEntries()}, rather than keeping the registry from starting.
 */
public final class KafkaSchemaStore implements SchemaStore {

    public static final String DEFAULT_TOPIC = "_glad_schemas";
    private static final Logger log = LoggerFactory.getLogger(KafkaSchemaStore.class);

    /** Long enough for a broker starting alongside the registry (docker compose), short enough to fail clearly. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String bootstrapServers;
    private final TopicPartition partition;
    private final Duration timeout;
    private final KafkaProducer<byte[], byte[]> producer;
    private final List<String> unreadable = new ArrayList<>();
    private int highestUnreadableId;

    public KafkaSchemaStore(String bootstrapServers, String topic) throws IOException {
        this(bootstrapServers, topic, DEFAULT_TIMEOUT);
    }

    /** @param timeout how long each Kafka operation (create topic, replay, store) may take before failing */
    public KafkaSchemaStore(String bootstrapServers, String topic, Duration timeout) throws IOException {
        if (bootstrapServers == null || bootstrapServers.isBlank() || topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers and topic must not be blank");
        }
        this.bootstrapServers = bootstrapServers;
        this.partition = new TopicPartition(topic, 0);
        this.timeout = timeout;
        createTopicIfAbsent();
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public List<StoredEntry> replay() throws IOException {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + timeout.toNanos();
            List<StoredEntry> entries = new ArrayList<>();
            while (consumer.position(partition) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("could not read the schemas in topic " + partition.topic() + " at "
                            + bootstrapServers + " within " + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    // The registry never deletes, so a tombstone (someone else's) has nothing to undo.
                    if (record.value() != null) {
                        try {
                            entries.add(decode(record));
                        } catch (IOException e) {
                            log.warn("skipping an unreadable schema store entry: {}", e.getMessage());
                            unreadable.add(e.getMessage());
                            highestUnreadableId = Math.max(highestUnreadableId, idIn(record));
                        }
                    }
                }
            }
            return entries;
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IOException("could not read the schemas in topic " + partition.topic() + " at "
                    + bootstrapServers + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized List<String> unreadableEntries() {
        return List.copyOf(unreadable);
    }

    @Override
    public synchronized int highestUnreadableId() {
        return highestUnreadableId;
    }

    /** The integer {@code id} an entry's JSON holds, if it is JSON at all; 0 otherwise. */
    private static int idIn(ConsumerRecord<byte[], byte[]> record) {
        try {
            JsonNode id = JSON.readTree(record.value()).path("id");
            return id.canConvertToInt() ? Math.max(0, id.asInt()) : 0;
        } catch (IOException | RuntimeException notJson) {
            return 0;
        }
    }

    @Override
    public void append(StoredEntry entry) throws IOException {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(partition.topic(), partition.partition(),
                entry.key().getBytes(StandardCharsets.UTF_8), JSON.writeValueAsBytes(encode(entry)));
        try {
            // The delivery timeout bounds this wait, and the outcome is then known: stored or not.
            producer.send(record).get();
        } catch (ExecutionException | org.apache.kafka.common.KafkaException e) {
            throw new IOException("could not store " + entry.key() + " in topic " + partition.topic() + " at "
                    + bootstrapServers + ": " + (e.getCause() == null ? e : e.getCause()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while storing " + entry.key());
        }
    }

    @Override
    public String describe() {
        return "in Kafka topic " + partition.topic() + " at " + bootstrapServers;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    private void createTopicIfAbsent() throws IOException {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()))) {
            // One partition keeps the entries in registration order; replication follows the broker default.
            NewTopic topic = new NewTopic(partition.topic(), Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            Future<Void> created = admin.createTopics(List.of(topic)).all();
            created.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IOException("could not create schema topic " + partition.topic() + " at "
                        + bootstrapServers + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IOException("could not connect to Kafka at " + bootstrapServers + ": " + e.getMessage(), e);
        } catch (TimeoutException e) {
            throw new IOException("Kafka at " + bootstrapServers + " did not answer within " + timeout.toSeconds()
                    + " s while creating schema topic " + partition.topic(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while creating schema topic " + partition.topic());
        }
    }

    private static ObjectNode encode(StoredEntry entry) {
        ObjectNode json = JSON.createObjectNode();
        if (entry instanceof SchemaVersion version) {
            json.put("type", "SCHEMA").put("subject", version.subject()).put("version", version.version())
                    .put("id", version.id()).put("schema", version.schema());
        } else if (entry instanceof CompatibilitySetting setting) {
            json.put("type", "CONFIG").put("subject", setting.subject()).put("compatibilityLevel", setting.level().name());
        }
        return json;
    }

    private StoredEntry decode(ConsumerRecord<byte[], byte[]> record) throws IOException {
        try {
            JsonNode json = JSON.readTree(record.value());
            String subject = json.path("subject").isNull() ? null : json.path("subject").asText();
            switch (json.path("type").asText()) {
                case "SCHEMA":
                    if (!json.path("subject").isTextual() || !json.path("version").canConvertToInt()
                            || !json.path("id").canConvertToInt() || !json.path("schema").isTextual()) {
                        throw new IOException("a SCHEMA entry needs subject, version, id and schema");
                    }
                    return new SchemaVersion(subject, json.path("version").asInt(), json.path("id").asInt(),
                            json.path("schema").asText());
                case "CONFIG":
                    return new CompatibilitySetting(subject, CompatibilityLevel.valueOf(json.path("compatibilityLevel").asText()));
                default:
                    throw new IOException("unknown entry type '" + json.path("type").asText() + "'");
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException("unreadable entry at offset " + record.offset() + " of schema topic "
                    + partition.topic() + ": " + e.getMessage(), e);
        }
    }
}
