package com.gladstream.streams;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import com.gladstream.schemas.AnomalyResult;
import com.gladstream.schemas.ControlEvent;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.InferenceRequest;
import com.gladstream.schemas.ModelPublished;
import com.gladstream.schemas.RejectedImage;
import com.gladstream.schemas.WindowStatistics;
import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.schemas.config.Topics;
import com.gladstream.schemas.registry.HttpSchemaRegistryClient;

/**
 * {@link GladTopology} in a {@link TopologyTestDriver}, configured like the application, with
 * typed handles on every topic and serdes bound to a real (embedded) schema registry.
 */
final class TopologyHarness implements AutoCloseable {

    static final Instant WALL_CLOCK_START = Instant.parse("2025-03-01T09:00:00Z");

    final TopologyTestDriver driver;
    final TopologySerdes serdes;
    final Topics topics;
    final TestInputTopic<byte[], byte[]> images;
    final TestInputTopic<String, ModelPublished> models;
    final TestInputTopic<String, AnomalyResult> results;
    final TestOutputTopic<String, InferenceRequest> requests;
    final TestOutputTopic<byte[], RejectedImage> deadLetters;
    final TestOutputTopic<String, ImageEvent> samples;
    final TestOutputTopic<String, ControlEvent> control;
    final TestOutputTopic<String, WindowStatistics> statistics;

    TopologyHarness(String registryUrl, Path stateDir, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put(ServiceConfig.REGISTRY_URL, registryUrl);
        ServiceConfig config = ServiceConfig.of(all, Map.of());
        StreamsSettings streamsSettings = StreamsSettings.from(config);
        topics = streamsSettings.topics();
        serdes = TopologySerdes.using(new HttpSchemaRegistryClient(registryUrl), true);
        Properties props = StreamsService.streamsProperties(config, streamsSettings);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(GladTopology.build(streamsSettings, serdes), props, WALL_CLOCK_START);

        images = driver.createInputTopic(topics.images(), new ByteArraySerializer(), new ByteArraySerializer());
        models = driver.createInputTopic(topics.models(), new StringSerializer(), serdes.models().serializer());
        results = driver.createInputTopic(topics.results(), new StringSerializer(), serdes.results().serializer());
        requests = driver.createOutputTopic(topics.requests(), new StringDeserializer(), serdes.requests().deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetter(), new ByteArrayDeserializer(),
                serdes.rejections().deserializer());
        samples = driver.createOutputTopic(topics.samples(), new StringDeserializer(), serdes.images().deserializer());
        control = driver.createOutputTopic(topics.control(), new StringDeserializer(), serdes.control().deserializer());
        statistics = driver.createOutputTopic(topics.statistics(), new StringDeserializer(),
                serdes.statistics().deserializer());
    }

    /** Sends {@code event} as a camera would: keyed by camera id, Avro in the Confluent wire format. */
    byte[] sendImage(ImageEvent event) {
        byte[] value = serdes.images().serializer().serialize(topics.images(), event);
        images.pipeInput(event.getCameraId().getBytes(StandardCharsets.UTF_8), value);
        return value;
    }

    void publishModel(String category, String version) {
        models.pipeInput(category, ModelPublished.newBuilder()
                .setCategory(category)
                .setVersion(version)
                .setUri("file:///models/" + category + "/" + version)
                .setThreshold(0.5)
                .setMetrics(Map.of())
                .setTrainingSamples(100)
                .setDataHash("sha256:" + version)
                .setPublishedAt(WALL_CLOCK_START)
                .build());
    }

    @Override
    public void close() {
        driver.close();
    }
}
