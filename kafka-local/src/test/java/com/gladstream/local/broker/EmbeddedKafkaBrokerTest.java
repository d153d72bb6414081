package com.gladstream.local.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

    @TempDir
    Path dataDir;

    @Test
    void keepsRecordsAcrossRestartsOnTheSameDataDirectory() throws Exception {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add("record-" + i + "-" + UUID.randomUUID());
        }
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir)) {
            broker.start();
            produce(broker.bootstrapServers(), "restart-test", sent);
            assertThat(consumeAll(broker.bootstrapServers(), "restart-test", sent.size())).isEqualTo(sent);

            String addressBefore = broker.bootstrapServers();
            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            broker.start();

            assertThat(broker.bootstrapServers()).isEqualTo(addressBefore);
            assertThat(consumeAll(broker.bootstrapServers(), "restart-test", sent.size())).isEqualTo(sent);
        }
        assertThat(dataDir).isDirectory();

        // A new broker on the same directory, on other ports, finds the same data.
        try (EmbeddedKafkaBroker reopened = new EmbeddedKafkaBroker(dataDir)) {
            reopened.start();
            assertThat(consumeAll(reopened.bootstrapServers(), "restart-test", sent.size())).isEqualTo(sent);
        }
    }

    @Test
    void temporaryBrokerDeletesItsDataOnClose() {
        Path dir;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.inTemporaryDirectory()) {
            broker.start();
            dir = broker.dataDir();
            assertThat(dir.resolve("logs")).isDirectory();
            assertThatThrownBy(broker::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(broker.bootstrapServers());
        }
        assertThat(Files.exists(dir)).isFalse();
    }

    @Test
    void rejectsAnImpossiblePort() {
        assertThatThrownBy(() -> new EmbeddedKafkaBroker(dataDir, 70000, 0, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("70000");
    }

    private static void produce(String bootstrap, String topic, List<String> values) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, value)).get();
            }
        }
    }

    /** Reads the topic from the start with a fresh group, until {@code expected} records or 30 s. */
    private static List<String> consumeAll(String bootstrap, String topic, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
