package com.gladstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.gladstream.local.testing.KafkaClusterExtension;
import com.gladstream.schemas.ImageEncoding;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.InferenceRequest;
import com.gladstream.schemas.RejectReason;
import com.gladstream.schemas.RejectedImage;
import com.gladstream.schemas.config.RecordLimits;
import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.schemas.config.Topics;
import com.gladstream.schemas.registry.HttpSchemaRegistryClient;

/** The streams application, exactly once, on a real broker and the embedded schema registry. */
class StreamsServiceIntegrationTest {

    private static final int VALID = 100;
    private static final int UNDECODABLE = 10;
    private static final int CORRUPT = 10;
    private static final Duration DEADLINE = Duration.ofSeconds(45);

    @RegisterExtension
    static final KafkaClusterExtension kafka = new KafkaClusterExtension();
    @RegisterExtension
    static final SchemaRegistryExtension registry = new SchemaRegistryExtension();

    @TempDir
    Path stateDir;

    @Test
    void everyImageEndsUpExactlyOnceAsARequestOrADeadLetter() throws Exception {
        ServiceConfig config = ServiceConfig.of(Map.of(
                ServiceConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                ServiceConfig.REGISTRY_URL, registry.url(),
                "application.id", "glad-streams-it",
                "validation.categories", "bottle,screw",
                "topics.partitions", "2",
                "streams.state.dir", stateDir.toString(),
                "streams.commit.interval.ms", "200"), Map.of());
        Topics topics = config.topics();
        TopologySerdes serdes = TopologySerdes.using(new HttpSchemaRegistryClient(registry.url()), true);

        List<ImageEvent> valid = new ArrayList<>();
        List<ImageEvent> corrupt = new ArrayList<>();
        List<byte[]> undecodable = new ArrayList<>();
        List<ProducerRecord<String, byte[]>> input = new ArrayList<>();
        byte[] png = TestImages.png(16, 16);
        for (int i = 0; i < VALID; i++) {
            ImageEvent event = TestImages.event("cam-" + i % 7, i % 2 == 0 ? "bottle" : "screw", png,
                    ImageEncoding.PNG, 16, 16).build();
            valid.add(event);
            input.add(record(topics, event, serdes));
        }
        for (int i = 0; i < CORRUPT; i++) {
            ImageEvent event = TestImages.event("cam-" + i, "bottle", TestImages.truncated(png, 0.5),
                    ImageEncoding.PNG, 16, 16).build();
            corrupt.add(event);
            input.add(record(topics, event, serdes));
        }
        for (int i = 0; i < UNDECODABLE; i++) {
            byte[] garbage = ("not an image event #" + i + " " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
            undecodable.add(garbage);
            input.add(new ProducerRecord<>(topics.images(), "cam-" + i, garbage));
        }
        Collections.shuffle(input, new Random(3));

        long started = System.nanoTime();
        try (StreamsService service = new StreamsService(config)) {
            service.start();
            produce(input);
            Map<String, List<ConsumerRecord<String, byte[]>>> output =
                    consume(List.of(topics.requests(), topics.deadLetter()), VALID + CORRUPT + UNDECODABLE);
            assertThat(service.state()).isEqualTo(KafkaStreams.State.RUNNING);

            List<InferenceRequest> requests = output.get(topics.requests()).stream()
                    .map(r -> serdes.requests().deserializer().deserialize(r.topic(), r.value())).toList();
            assertThat(requests).extracting(r -> r.getImage().getEventId())
                    .containsExactlyInAnyOrderElementsOf(valid.stream().map(ImageEvent::getEventId).toList());
            assertThat(output.get(topics.requests()))
                    .allSatisfy(r -> assertThat(r.key()).isIn("bottle", "screw"));

            List<RejectedImage> deadLetters = output.get(topics.deadLetter()).stream()
                    .map(r -> serdes.rejections().deserializer().deserialize(r.topic(), r.value())).toList();
            assertThat(deadLetters).filteredOn(d -> d.getReason() == RejectReason.CORRUPT_IMAGE)
                    .extracting(RejectedImage::getEventId)
                    .containsExactlyInAnyOrderElementsOf(corrupt.stream().map(ImageEvent::getEventId).toList());
            assertThat(deadLetters).filteredOn(d -> d.getReason() == RejectReason.UNDECODABLE_RECORD)
                    .extracting(d -> new String(bytes(d.getOriginalValue()), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrderElementsOf(
                            undecodable.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList());
            assertThat(deadLetters).hasSize(CORRUPT + UNDECODABLE);
            assertThat(cleanupPolicy(topics.models())).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
            assertThat(cleanupPolicy(topics.requests())).isEqualTo(TopicConfig.CLEANUP_POLICY_DELETE);
        }
        System.out.printf("routed %d images through the %s broker in %d ms%n", input.size(), kafka.cluster().kind(),
                (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    void recordsJustUnderTheCapAndJustUnderTheTopicLimitNeitherWedgeThePartitionNorGetLost() throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                ServiceConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                ServiceConfig.REGISTRY_URL, registry.url(),
                "application.id", "glad-streams-large",
                "validation.categories", "bottle",
                "topics.partitions", "1",
                "streams.state.dir", stateDir.toString(),
                "streams.commit.interval.ms", "200"));
        for (String role : List.of("images", "requests", "results", "statistics", "dead-letter", "control", "models",
                "samples")) {
            settings.put("topic." + role, "large." + role);
        }
        ServiceConfig config = ServiceConfig.of(settings, Map.of());
        Topics topics = config.topics();
        RecordLimits limits = RecordLimits.from(config);
        TopologySerdes serdes = TopologySerdes.using(new HttpSchemaRegistryClient(registry.url()), true);
        // 24-bit BMPs: 572² is 981 606 bytes, just under the input cap; 590² is 1 045 534, just under the topic limit.
        ImageEvent underCap = TestImages.event("cam-big", "bottle", TestImages.encoded(572, 572, ImageEncoding.BMP),
                ImageEncoding.BMP, 572, 572).build();
        ImageEvent underTopicLimit = TestImages.event("cam-big", "bottle",
                TestImages.encoded(590, 590, ImageEncoding.BMP), ImageEncoding.BMP, 590, 590).build();
        List<ProducerRecord<String, byte[]>> input = new ArrayList<>();
        input.add(record(topics, underCap, serdes));
        input.add(record(topics, underTopicLimit, serdes));
        List<ImageEvent> small = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            small.add(TestImages.pngEvent("cam-big", "bottle", 16, 16).build());
            input.add(record(topics, small.get(i), serdes));
        }
        assertThat(input.get(0).value().length).isBetween(limits.maxInputBytes() - 4000, limits.maxInputBytes());
        assertThat(input.get(1).value().length).isBetween(limits.maxInputBytes() + 1, limits.maxMessageBytes() - 1000);

        try (StreamsService service = new StreamsService(config)) {
            service.start();
            produce(input);
            Map<String, List<ConsumerRecord<String, byte[]>>> output =
                    consume(List.of(topics.requests(), topics.deadLetter()), 7);
            assertThat(service.state()).isEqualTo(KafkaStreams.State.RUNNING);

            assertThat(output.get(topics.requests())).extracting(r -> serdes.requests().deserializer()
                            .deserialize(r.topic(), r.value()).getImage().getEventId())
                    .containsExactly(underCap.getEventId(), small.get(0).getEventId(), small.get(1).getEventId(),
                            small.get(2).getEventId(), small.get(3).getEventId(), small.get(4).getEventId());
            assertThat(output.get(topics.deadLetter())).singleElement().satisfies(r -> {
                RejectedImage rejected = serdes.rejections().deserializer().deserialize(r.topic(), r.value());
                assertThat(rejected.getReason()).isEqualTo(RejectReason.TOO_LARGE);
                assertThat(rejected.getOriginalValue()).isNull();
                assertThat(rejected.getSourceOffset()).isEqualTo(1);
            });
            assertThat(topicConfig(topics.requests(), TopicConfig.MAX_MESSAGE_BYTES_CONFIG))
                    .isEqualTo(String.valueOf(limits.maxMessageBytes()));
            assertThat(topicConfig(topics.images(), TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG)).isEqualTo("LogAppendTime");
        }
    }

    private static String cleanupPolicy(String topic) throws Exception {
        return topicConfig(topic, TopicConfig.CLEANUP_POLICY_CONFIG);
    }

    private static String topicConfig(String topic, String name) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            return admin.describeConfigs(List.of(resource)).all().get().get(resource).get(name).value();
        }
    }

    private static ProducerRecord<String, byte[]> record(Topics topics, ImageEvent event, TopologySerdes serdes) {
        return new ProducerRecord<>(topics.images(), event.getCameraId(),
                serdes.images().serializer().serialize(topics.images(), event));
    }

    private static void produce(List<ProducerRecord<String, byte[]>> records) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, RecordLimits.DEFAULTS.maxMessageBytes()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<String, byte[]> record : records) {
                producer.send(record);
            }
            producer.flush();
        }
    }

    /**
     * Reads committed records from {@code topics} until {@code expected} have arrived, then one more
     * second so that duplicates, if any, show up too.
     */
    private static Map<String, List<ConsumerRecord<String, byte[]>>> consume(List<String> topics, int expected) {
        Map<String, List<ConsumerRecord<String, byte[]>>> received = new HashMap<>();
        topics.forEach(topic -> received.put(topic, new ArrayList<>()));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(topics);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            int count = 0;
            while (count < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    received.get(record.topic()).add(record);
                    count++;
                }
            }
            long settle = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (System.nanoTime() < settle) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> received.get(record.topic()).add(record));
            }
        }
        return received;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
