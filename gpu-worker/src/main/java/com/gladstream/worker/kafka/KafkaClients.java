package com.gladstream.worker.kafka;

import com.gladstream.schemas.config.RecordLimits;
import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.schemas.config.TopicSetup;
import com.gladstream.schemas.config.Topics;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka clients of a worker, configured in one place: the cluster and every {@code kafka.*}
 * setting (security and the like) from the service configuration, then what the worker requires.
 */
public final class KafkaClients {

    private final ServiceConfig config;

    public KafkaClients(ServiceConfig config) {
        this.config = config;
    }

    public Map<String, Object> common() {
        Map<String, Object> props = new HashMap<>(config.withPrefix("kafka."));
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return props;
    }

    /**
     * Creates whichever of {@code topics} do not exist yet, with {@code topics.partitions} partitions
     * and the shared record limits; returns the names it created.
     */
    public List<String> createMissingTopics(Topics topics) {
        try (Admin admin = Admin.create(common())) {
            return TopicSetup.createMissing(admin, topics, config.integer("topics.partitions", 3, 1), RecordLimits.from(config));
        }
    }

    /** Producers may send records as large as the topics accept (outputs embed their inputs). */
    private Map<String, Object> producerCommon() {
        Map<String, Object> props = common();
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, RecordLimits.from(config).maxMessageBytes());
        return props;
    }

    /** A consumer of committed records only, committing nothing by itself. */
    public KafkaConsumer<byte[], byte[]> consumer(String groupId, int maxPollRecords) {
        return consumer(groupId, maxPollRecords, Map.of());
    }

    /**
     * A group consumer that, while its group has committed nothing, starts at the end: for events
     * that ask for something now (retrain requests), which a new group must not replay from history.
     */
    public KafkaConsumer<byte[], byte[]> consumerFromEnd(String groupId, int maxPollRecords) {
        return consumer(groupId, maxPollRecords, Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"));
    }

    /**
     * A consumer of committed records outside any group, for readers that assign partitions
     * themselves (the operator console). Asking it about a topic never creates the topic.
     */
    public KafkaConsumer<byte[], byte[]> reader(int maxPollRecords) {
        return consumer(null, maxPollRecords, Map.of(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false));
    }

    private KafkaConsumer<byte[], byte[]> consumer(String groupId, int maxPollRecords, Map<String, Object> overrides) {
        Map<String, Object> props = common();
        if (groupId != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        props.putAll(overrides);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * A transactional producer. Its id is the worker's stable id, so a restarted worker fences the
     * transaction its killed predecessor left open instead of waiting for it to time out.
     */
    public KafkaProducer<byte[], byte[]> transactionalProducer(String transactionalId) {
        Map<String, Object> props = producerCommon();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A plain idempotent producer, for announcements (model versions, control events). */
    public KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> props = producerCommon();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
