package com.gladstream.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gladstream.local.registry.EmbeddedSchemaRegistry;
import com.gladstream.local.registry.InMemorySchemaStore;
import com.gladstream.schemas.ModelPublished;
import com.gladstream.schemas.registry.HttpSchemaRegistryClient;

/** What a schema registry outage does to the parts of the topology that cannot simply fail and be retried. */
class RegistryOutageTest {

    @TempDir
    Path stateDir;

    @Test
    void theGlobalModelsTableWaitsOutARegistryOutageInsteadOfStoppingTheApplication() throws Exception {
        InMemorySchemaStore store = new InMemorySchemaStore();
        try (RestartableRegistry registry = new RestartableRegistry(() -> store);
             TopologyHarness harness = new TopologyHarness(registry.url(), stateDir, Map.of())) {
            // Written by the model publisher, whose schema id this application has not seen yet.
            TopologySerdes publisher = TopologySerdes.using(new HttpSchemaRegistryClient(registry.url()), true);
            byte[] model = publisher.models().serializer().serialize(harness.topics.models(), ModelPublished.newBuilder()
                    .setCategory("capsule").setVersion("v1").setUri("file:///models/capsule/v1").setThreshold(0.5)
                    .setTrainingSamples(10).setDataHash("sha256:0").setPublishedAt(Instant.EPOCH).build());
            TestInputTopic<String, byte[]> models = harness.driver.createInputTopic(
                    harness.topics.models(), new StringSerializer(), new ByteArraySerializer());

            registry.stop();
            CompletableFuture<Void> restart = CompletableFuture.runAsync(() -> {
                sleep(1500);
                registry.start();
            });
            long started = System.nanoTime();
            models.pipeInput("capsule", model);
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            restart.get(10, TimeUnit.SECONDS);

            assertThat(waitedMillis).as("waited for the registry").isGreaterThanOrEqualTo(1000);
            harness.sendImage(TestImages.pngEvent("cam-1", "capsule", 8, 8).build());
            assertThat(harness.requests.readKeyValuesToMap()).containsOnlyKeys("capsule");
            assertThat(harness.deadLetters.isEmpty()).isTrue();
        }
    }

    @Test
    void aRegistryThatRefusesTheCredentialsIsAnOutageSoValidImagesAreRetriedNotDeadLettered() throws Exception {
        EmbeddedSchemaRegistry.Options locked =
                new EmbeddedSchemaRegistry.Options(InetAddress.getLoopbackAddress(), 0, "camera:secret");
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(locked, new InMemorySchemaStore());
             TopologyHarness harness = new TopologyHarness(registry.url(), stateDir, Map.of(
                     "validation.categories", "bottle"))) {
            TopologySerdes camera = TopologySerdes.using(new HttpSchemaRegistryClient(registry.url(), "camera:secret"), true);
            byte[] image = camera.images().serializer().serialize(harness.topics.images(),
                    TestImages.pngEvent("cam-1", "bottle", 8, 8).build());

            assertThatThrownBy(() -> harness.images.pipeInput("cam-1".getBytes(StandardCharsets.UTF_8), image))
                    .isInstanceOf(StreamsException.class)
                    .hasStackTraceContaining("HTTP 401");
            assertThat(harness.deadLetters.isEmpty()).isTrue();
            assertThat(harness.requests.isEmpty()).isTrue();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
