package com.gladstream.local.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gladstream.local.testing.KafkaClusterExtension;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.RejectedImage;
import com.gladstream.schemas.registry.HttpSchemaRegistryClient;
import com.gladstream.schemas.registry.SchemaRegistryClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The registry backed by a compacted Kafka topic keeps its ids, versions and settings across restarts. */
class RegistryKafkaStoreTest {

    @RegisterExtension
    static final KafkaClusterExtension kafka = new KafkaClusterExtension();

    @Test
    void idsVersionsAndSettingsSurviveARestart() throws Exception {
        String topic = "_schemas_restart";
        Schema imageV2 = SchemaVariants.withExtraField(
                ImageEvent.getClassSchema(), "exposureMs", "[\"null\", \"long\"]", "null");
        int imageV1Id;
        int imageV2Id;
        int rejectedId;
        try (EmbeddedSchemaRegistry first = startOn(topic)) {
            SchemaRegistryClient client = new HttpSchemaRegistryClient(first.url());
            imageV1Id = client.register("images-value", ImageEvent.getClassSchema());
            imageV2Id = client.register("images-value", imageV2);
            rejectedId = client.register("rejected-value", RejectedImage.getClassSchema());
            setFullCompatibility(first.url(), "rejected-value");
        }

        try (EmbeddedSchemaRegistry second = startOn(topic)) {
            SchemaRegistryClient client = new HttpSchemaRegistryClient(second.url());
            assertThat(client.getId("images-value", ImageEvent.getClassSchema())).isEqualTo(imageV1Id);
            assertThat(client.getId("images-value", imageV2)).isEqualTo(imageV2Id);
            assertThat(client.getById(rejectedId)).isEqualTo(RejectedImage.getClassSchema());
            assertThat(client.versions("images-value")).containsExactly(1, 2);
            assertThat(client.register("images-value", ImageEvent.getClassSchema()))
                    .as("re-registering after the restart is still idempotent").isEqualTo(imageV1Id);
            int newId = client.register("other-value", Schema.create(Schema.Type.STRING));
            assertThat(newId).isNotIn(imageV1Id, imageV2Id, rejectedId);
            assertThat(second.storeDescription()).contains(topic).contains(kafka.bootstrapServers());
        }
        try (EmbeddedSchemaRegistry third = startOn(topic)) {
            assertThat(new HttpSchemaRegistryClient(third.url()).getById(rejectedId))
                    .isEqualTo(RejectedImage.getClassSchema());
            assertThat(HttpJson.get(third.url() + "/config/rejected-value").get("compatibilityLevel").asText())
                    .isEqualTo("FULL");
        }
    }

    @Test
    void anUnreadableEntryInTheStoreIsSkippedAndCountedAndTheRestIsServed() throws Exception {
        String topic = "_schemas_damaged";
        int id;
        try (EmbeddedSchemaRegistry first = startOn(topic)) {
            id = new HttpSchemaRegistryClient(first.url()).register("images-value", ImageEvent.getClassSchema());
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, 0, "junk".getBytes(StandardCharsets.UTF_8),
                    "not json {".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(topic, 0, "schema/x/1".getBytes(StandardCharsets.UTF_8),
                    "{\"type\":\"SCHEMA\",\"subject\":\"x\",\"id\":50}".getBytes(StandardCharsets.UTF_8))).get();
        }

        try (EmbeddedSchemaRegistry second = startOn(topic)) {
            assertThat(second.skippedStoreEntries()).hasSize(2);
            SchemaRegistryClient client = new HttpSchemaRegistryClient(second.url());
            assertThat(client.getById(id)).isEqualTo(ImageEvent.getClassSchema());
            // Records written with id 50 may exist: a new schema must not take it.
            assertThat(client.register("rejected-value", RejectedImage.getClassSchema())).isGreaterThan(50);
        }
    }

    @Test
    void createsTheTopicCompacted() throws Exception {
        String topic = "_schemas_created";
        try (EmbeddedSchemaRegistry registry = startOn(topic)) {
            new HttpSchemaRegistryClient(registry.url()).register("x-value", ImageEvent.getClassSchema());
        }

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            String policy = admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            assertThat(policy).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        }
    }

    @Test
    void anUnreachableBrokerIsNamedInTheError() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String bootstrap = "localhost:" + closedPort;

        assertThatThrownBy(() -> new KafkaSchemaStore(bootstrap, "_schemas", Duration.ofSeconds(2)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(bootstrap);
    }

    private static EmbeddedSchemaRegistry startOn(String topic) throws IOException {
        return EmbeddedSchemaRegistry.start(0, new KafkaSchemaStore(kafka.bootstrapServers(), topic));
    }

    private static void setFullCompatibility(String url, String subject) throws Exception {
        HttpJson.put(url + "/config/" + subject, "{\"compatibility\":\"FULL\"}");
    }
}
