package com.gladstream.cli.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.gladstream.cli.InProcessGlad;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.model.ModelStore;
import com.gladstream.local.broker.EmbeddedKafkaBroker;
import com.gladstream.local.registry.EmbeddedSchemaRegistry;
import com.gladstream.schemas.ControlEvent;
import com.gladstream.schemas.RetrainRequested;
import com.gladstream.schemas.RetrainTrigger;
import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.schemas.registry.HttpSchemaRegistryClient;
import com.gladstream.worker.kafka.KafkaClients;
import com.gladstream.worker.kafka.WorkerSerdes;
import com.gladstream.worker.models.ModelAnnouncer;
import com.gladstream.worker.training.ControlEvents;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code glad retrain} and {@code glad models} against an embedded broker and registry. */
class RetrainCommandsTest {

    private static EmbeddedKafkaBroker broker;
    private static EmbeddedSchemaRegistry registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedKafkaBroker.inTemporaryDirectory();
        broker.start();
        registry = EmbeddedSchemaRegistry.inMemory();
    }

    @AfterAll
    static void stopBroker() {
        registry.close();
        broker.close();
    }

    @Test
    void retrainSendsOneOperatorRequestWithItsSteps() throws Exception {
        Path config = config(dir);
        InProcessGlad glad = new InProcessGlad();
        assertThat(glad.run("retrain", "--category", "tiles", "--steps", "12", "--config", config.toString()))
                .as(glad.err()).isZero();
        assertThat(glad.out()).startsWith("retrain of tiles requested on " + ServiceConfig.load(config).topics().control() + ": ");
        String eventId = glad.out().strip().substring(glad.out().strip().lastIndexOf(' ') + 1);

        List<ControlEvent> events = readControl(ServiceConfig.load(config));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getEventId()).isEqualTo(eventId);
            assertThat(e.getCategory()).isEqualTo("tiles");
            RetrainRequested r = (RetrainRequested) e.getPayload();
            assertThat(r.getTrigger()).isEqualTo(RetrainTrigger.OPERATOR);
            assertThat(r.getSteps()).isEqualTo(12);
        });
    }

    @Test
    void retrainRefusesACategoryThatIsNotAPlainName() throws Exception {
        InProcessGlad glad = new InProcessGlad();
        assertThat(glad.run("retrain", "--category", "../x", "--config", config(dir).toString())).isNotZero();
        assertThat(glad.err()).contains("category '../x' is not a valid name");
    }

    @Test
    void modelsListsEveryVersionWithItsFiguresAndMarksTheServingOne() throws Exception {
        Path config = config(dir);
        Path data = dir.resolve("data");
        InProcessGlad glad = new InProcessGlad();
        assertThat(glad.run("generate", "--out", data.toString(), "--category", "tiles", "--size", "32", "--train", "8",
                "--test-good", "1", "--test-defect", "1", "--seed", "3")).as(glad.err()).isZero();
        Path trained = dir.resolve("trained");
        assertThat(glad.run("train", "--data", data.resolve("tiles").toString(), "--model-dir", trained.toString(),
                "--preset", "tiny", "--steps", "5", "--inference-steps", "2", "--max-step", "100")).as(glad.err()).isZero();
        ServiceConfig settings = ServiceConfig.load(config);
        Path store = Path.of(settings.string("models.dir"));
        ModelAnnouncer announcer = new ModelAnnouncer(new KafkaClients(settings),
                WorkerSerdes.using(new HttpSchemaRegistryClient(registry.url())), settings.topics().models(), store);
        try (GladModel model = ModelStore.load(trained);
                GladModel retrained = model.withMetadata(model.metadata().withMetrics(
                        Map.of("validation.image_auroc", 0.8125, "retrain.samples", 42.0)))) {
            announcer.publish(model, Map.of(), 8);
            ModelStore.publish(store, "tiles", retrained);
        }
        Files.createDirectories(store.resolve("tiles").resolve("stray"));

        InProcessGlad list = new InProcessGlad();
        assertThat(list.run("models", "--config", config.toString())).as(list.err()).isZero();
        List<String> lines = list.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).matches("tiles\\s+\\*\\s+v1\\s+-\\s+5\\s+-\\s+\\S+\\s+\\d\\.\\d{4}\\s+-\\s+-");
        assertThat(lines.get(2)).matches("tiles\\s+v2\\s+-\\s+5\\s+42\\s+\\S+\\s+\\d\\.\\d{4}\\s+0\\.8125\\s+-");

        InProcessGlad offline = new InProcessGlad();
        assertThat(offline.run("models", "--offline", "--category", "tiles", "--config", config.toString())).isZero();
        assertThat(offline.out()).doesNotContain("*");
    }

    @Test
    void publishPutsATrainedModelIntoServiceAsItsCategorysFirstVersion() throws Exception {
        Path config = config(dir);
        Path data = dir.resolve("data");
        InProcessGlad glad = new InProcessGlad();
        assertThat(glad.run("generate", "--out", data.toString(), "--category", "tiles", "--size", "32", "--train", "8",
                "--test-good", "1", "--test-defect", "1", "--seed", "5")).as(glad.err()).isZero();
        Path trained = dir.resolve("trained");
        assertThat(glad.run("train", "--data", data.resolve("tiles").toString(), "--model-dir", trained.toString(),
                "--preset", "tiny", "--steps", "5", "--inference-steps", "2", "--max-step", "100")).as(glad.err()).isZero();

        InProcessGlad publish = new InProcessGlad();
        assertThat(publish.run("publish", "--model-dir", trained.toString(), "--config", config.toString()))
                .as(publish.err()).isZero();
        assertThat(publish.out()).startsWith("published tiles v1 ");
        assertThat(Path.of(ServiceConfig.load(config).string("models.dir")).resolve("tiles").resolve("v1")
                .resolve(ModelStore.WEIGHTS_FILE)).isRegularFile();

        InProcessGlad list = new InProcessGlad();
        assertThat(list.run("models", "--config", config.toString())).as(list.err()).isZero();
        assertThat(list.out().lines().skip(1).toList()).singleElement().asString().matches("tiles\\s+\\*\\s+v1\\s.*");
    }

    /** A properties file with fresh topics, the broker, the registry and a model store under {@code dir}. */
    private static Path config(Path dir) throws Exception {
        String prefix = "rc" + UUID.randomUUID().toString().substring(0, 6);
        Path file = dir.resolve("glad.properties");
        Files.writeString(file, String.join("\n",
                "bootstrap.servers=" + broker.bootstrapServers(),
                "registry.url=" + registry.url(),
                "models.dir=" + dir.resolve("models"),
                "topic.control=" + prefix + ".control",
                "topic.models=" + prefix + ".models",
                "topics.partitions=1") + "\n");
        ServiceConfig config = ServiceConfig.load(file);
        new KafkaClients(config).createMissingTopics(config.topics());
        return file;
    }

    private static List<ControlEvent> readControl(ServiceConfig config) {
        Serde<ControlEvent> serde = ControlEvents.serde(new HttpSchemaRegistryClient(registry.url()));
        List<ControlEvent> events = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(config.topics().control()));
            long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < end && events.isEmpty()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    events.add(serde.deserializer().deserialize(r.topic(), r.value()));
                }
            }
            // Anything sent twice would have arrived with the first.
            consumer.poll(Duration.ofSeconds(1)).forEach(r -> events.add(serde.deserializer().deserialize(r.topic(), r.value())));
        }
        return events;
    }
}
