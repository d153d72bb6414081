package com.gladstream.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gladstream.local.broker.EmbeddedKafkaBroker;
import com.gladstream.local.registry.EmbeddedSchemaRegistry;
import com.gladstream.schemas.ControlEvent;
import com.gladstream.schemas.ModelPublished;
import com.gladstream.schemas.RetrainFailed;
import com.gladstream.schemas.RetrainRequested;
import com.gladstream.schemas.RetrainTrigger;
import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.schemas.registry.HttpSchemaRegistryClient;
import com.gladstream.worker.kafka.KafkaClients;
import com.gladstream.worker.kafka.WorkerSerdes;
import com.gladstream.worker.training.ControlEvents;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator page's retrain button over HTTP: what it sends to the control topic, what it refuses, what it shows. */
class ConsoleRetrainTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path work;

    @Test
    void theRetrainEndpointSendsAnOperatorRequestAndTheModelRowShowsItsOutcome() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.inTemporaryDirectory();
                EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.inMemory()) {
            broker.start();
            Map<String, String> settings = new HashMap<>();
            settings.put(ServiceConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
            settings.put(ServiceConfig.REGISTRY_URL, registry.url());
            settings.put("heatmaps.dir", work.resolve("heatmaps").toString());
            ServiceConfig config = ServiceConfig.of(settings, Map.of());
            KafkaClients clients = new KafkaClients(config);
            clients.createMissingTopics(config.topics());
            WorkerSerdes serdes = WorkerSerdes.using(new HttpSchemaRegistryClient(registry.url()));
            announce(clients, serdes, config);

            try (OperatorConsole console = OperatorConsole.start(config, ConsoleSettings.from(config).withAddress("127.0.0.1", 0));
                    ControlEvents control = new ControlEvents(clients, serdes.registry(), config.topics().control())) {
                String base = console.url();
                awaitState(base, s -> s.path("models").size() == 1);

                assertThat(post(base + "retrain?category=tiles", false).statusCode()).isEqualTo(403);
                assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "retrain?category=tiles")).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
                assertThat(post(base + "retrain?category=..%2Fx", true).statusCode()).isEqualTo(404);
                assertThat(post(base + "retrain?category=plates", true).statusCode()).isEqualTo(404);

                Map<TopicPartition, Long> from = ControlEvents.endOffsets(clients, config.topics().control());
                HttpResponse<String> sent = post(base + "retrain?category=tiles", true);
                assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
                String requestId = JSON.readTree(sent.body()).path("request").asText();
                List<ControlEvent> events = readControl(clients, serdes, config, from);
                assertThat(events).singleElement().satisfies(e -> {
                    assertThat(e.getEventId()).isEqualTo(requestId);
                    assertThat(e.getCategory()).isEqualTo("tiles");
                    assertThat(((RetrainRequested) e.getPayload()).getTrigger()).isEqualTo(RetrainTrigger.OPERATOR);
                });
                awaitState(base, s -> s.path("models").get(0).path("retrain").asText().equals("requested (operator)"));

                control.send(ControlEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setCategory("tiles")
                        .setCreatedAt(Instant.now()).setPayload(RetrainFailed.newBuilder().setRequestEventId(requestId)
                                .setReason("too few samples: 3 usable").build()).build());
                awaitState(base, s -> s.path("models").get(0).path("retrain").asText()
                        .equals("refused: too few samples: 3 usable"));
            }
        }
    }

    private static void announce(KafkaClients clients, WorkerSerdes serdes, ServiceConfig config) throws Exception {
        String topic = config.topics().models();
        ModelPublished m = ModelPublished.newBuilder().setCategory("tiles").setVersion("v1").setUri("file:/models/tiles/v1")
                .setThreshold(0.25).setTrainingSamples(12).setDataHash("abc").setPublishedAt(Instant.now()).build();
        try (KafkaProducer<byte[], byte[]> producer = clients.producer()) {
            producer.send(new ProducerRecord<>(topic, "tiles".getBytes(StandardCharsets.UTF_8),
                    serdes.models().serializer().serialize(topic, m))).get();
        }
    }

    private HttpResponse<String> post(String url, boolean withHeader) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody());
        if (withHeader) {
            b.header(ConsoleServer.RETRAIN_HEADER, "retrain");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitState(String base, Predicate<JsonNode> done) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode state = null;
        while (System.nanoTime() < end) {
            state = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "state")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            if (done.test(state)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the page's state never matched; last: " + state);
    }

    private static List<ControlEvent> readControl(KafkaClients clients, WorkerSerdes serdes, ServiceConfig config,
            Map<TopicPartition, Long> from) {
        List<ControlEvent> events = new ArrayList<>();
        var serde = ControlEvents.serde(serdes.registry());
        try (KafkaConsumer<byte[], byte[]> consumer = clients.reader(100)) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < end && events.isEmpty()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    events.add(serde.deserializer().deserialize(r.topic(), r.value()));
                }
            }
            consumer.poll(Duration.ofSeconds(1)).forEach(r -> events.add(serde.deserializer().deserialize(r.topic(), r.value())));
        }
        return events;
    }
}
