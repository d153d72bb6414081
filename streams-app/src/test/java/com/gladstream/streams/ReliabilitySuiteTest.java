package com.gladstream.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gladstream.local.broker.EmbeddedKafkaBroker;
import com.gladstream.local.registry.KafkaSchemaStore;
import com.gladstream.schemas.AnomalyResult;
import com.gladstream.schemas.Decision;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.InferenceRequest;
import com.gladstream.schemas.RejectedImage;
import com.gladstream.schemas.Timings;
import com.gladstream.schemas.WindowStatistics;
import com.gladstream.schemas.config.RecordLimits;
import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.schemas.config.Topics;
import com.gladstream.schemas.registry.HttpSchemaRegistryClient;
import com.gladstream.schemas.serde.AvroSerdes;

/**
 * The bad-input and fault suite: the {@link BadInputCorpus} and valid images through the real
 * topology, run by {@link StreamsProcess} exactly once on the embedded broker and an embedded
 * registry with basic auth and a Kafka store, while the registry is stopped and restarted, the
 * broker is stopped and restarted, and the streams process is killed ({@code kill -9}) and started
 * again. Every input must end as exactly one request or one dead letter (read committed, matched
 * by its topic-partition@offset) with the outcome the manifest lists, and the application must be
 * RUNNING at the end. The figures go to {@code target/reliability-report.md} (docs/RELIABILITY.md).
 */
class ReliabilitySuiteTest {

    private static final String USER_INFO = "glad:reliability-suite";
    private static final int COPIES = 2;
    private static final Duration PHASE_DEADLINE = Duration.ofSeconds(90);
    private static final Topics TOPICS = Topics.DEFAULTS;

    @TempDir
    Path dir;

    private EmbeddedKafkaBroker broker;
    private RestartableRegistry registry;
    private Process streams;
    private final Map<String, String> lastState = new ConcurrentHashMap<>();
    private final List<String> states = new ArrayList<>();

    /** One record sent to the images topic: which corpus case (or "valid") and what must become of it. */
    private record Sent(String kind, Set<String> expected, String phase) {}

    private final Map<String, Sent> sent = new LinkedHashMap<>();
    private final Map<String, List<String>> outcomes = new HashMap<>();
    private final Map<String, long[]> phaseFigures = new LinkedHashMap<>();
    private long killedAfter;

    @AfterEach
    void stopEverything() {
        if (streams != null) {
            streams.destroyForcibly();
        }
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyInputEndsAsExactlyOneRequestOrDeadLetterThroughRegistryBrokerAndProcessFaults() throws Exception {
        long suiteStarted = System.nanoTime();
        broker = new EmbeddedKafkaBroker(dir.resolve("kafka"));
        broker.start();
        registry = new RestartableRegistry(() -> kafkaStore(), USER_INFO);
        TopologySerdes serdes = TopologySerdes.using(new HttpSchemaRegistryClient(registry.url(), USER_INFO), true);
        Path settings = writeSettings();
        List<BadInputCorpus.Case> corpus = BadInputCorpus.load();
        assertThat(corpus).extracting(BadInputCorpus.Case::name).doesNotHaveDuplicates();
        corpus.forEach(c -> assertThat(BadInputCorpus.knownOutcomes()).containsAll(c.expected()));

        streams = startStreams(settings);
        awaitState("RUNNING");
        try (KafkaProducer<byte[], byte[]> camera = camera();
             KafkaConsumer<byte[], byte[]> reader = outputReader()) {
            // A: the corpus, each kind twice, between valid images.
            for (int copy = 0; copy < COPIES; copy++) {
                for (BadInputCorpus.Case c : corpus) {
                    byte[][] record = BadInputCorpus.record(c, serdes, TOPICS.images(), Instant.now());
                    send(camera, "A corpus", c.name(), c.expected(), record[0], record[1]);
                }
                sendValid(camera, serdes, "A corpus", 20);
            }
            awaitOutputs(reader, serdes, "A corpus");

            // Statistics: NaN and infinite scores next to finite ones.
            WindowStatistics statistics = statisticsWithNaNScores(serdes);
            assertThat(statistics.getCount()).isEqualTo(4);
            assertThat(statistics.getUnscored()).isEqualTo(2);
            assertThat(statistics.getMeanScore()).isCloseTo(0.3, within(1e-9));
            assertThat(statistics.getP95Score()).isFinite();

            // B: the registry stops; images written with a schema version this application has not seen wait for it.
            List<byte[]> evolved = evolvedImages(serdes, 40);
            registry.stop();
            for (byte[] value : evolved) {
                send(camera, "B registry restart", "valid (new schema version)", Set.of("REQUEST"),
                        "cam-evolved".getBytes(StandardCharsets.UTF_8), value);
            }
            Thread.sleep(3000);
            pollOutputs(reader, serdes, Duration.ofMillis(500));
            long doneDuringOutage = phaseDone("B registry restart");
            registry.start();
            awaitOutputs(reader, serdes, "B registry restart");
            assertThat(doneDuringOutage).as("decoded while the registry was down").isZero();

            // C: the broker stops mid-stream and comes back.
            sendValid(camera, serdes, "C broker restart", 40);
            broker.stop();
            Thread.sleep(2000);
            broker.start();
            sendValid(camera, serdes, "C broker restart", 40);
            awaitOutputs(reader, serdes, "C broker restart");

            // D: the streams process is killed mid-stream, while images keep coming, and started again on the same state.
            boolean killed = false;
            for (int i = 0; i < 300; i++) {
                sendValid(camera, serdes, "D process kill", 1);
                if (i % 5 == 0) {
                    pollOutputs(reader, serdes, Duration.ofMillis(20));
                }
                if (!killed && phaseDone("D process kill") >= 30) {
                    streams.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    killedAfter = phaseDone("D process kill");
                    lastState.clear();
                    streams = startStreams(settings);
                    killed = true;
                }
            }
            assertThat(killed).as("killed mid-stream").isTrue();
            awaitOutputs(reader, serdes, "D process kill");
            awaitState("RUNNING");

            pollOutputs(reader, serdes, Duration.ofSeconds(2));
        }
        assertThat(lastState.get("state")).isEqualTo("RUNNING");
        assertThat(states).doesNotContain("ERROR");

        Map<String, List<String>> wrong = new TreeMap<>();
        int lost = 0;
        int duplicated = 0;
        for (var entry : sent.entrySet()) {
            List<String> got = outcomes.getOrDefault(entry.getKey(), List.of());
            if (got.isEmpty()) {
                lost++;
            } else if (got.size() > 1) {
                duplicated++;
            } else if (!entry.getValue().expected().contains(got.get(0))) {
                wrong.computeIfAbsent(entry.getValue().kind(), k -> new ArrayList<>()).add(got.get(0));
            }
        }
        writeReport(corpus, lost, duplicated, (System.nanoTime() - suiteStarted) / 1_000_000_000.0);
        assertThat(wrong).as("outcomes other than the manifest's").isEmpty();
        assertThat(lost).as("inputs with neither a request nor a dead letter").isZero();
        assertThat(duplicated).as("inputs with more than one output").isZero();
        assertThat(outcomes.keySet()).as("outputs naming no input").isSubsetOf(sent.keySet());
    }

    private KafkaSchemaStore kafkaStore() {
        try {
            return new KafkaSchemaStore(broker.bootstrapServers(), KafkaSchemaStore.DEFAULT_TOPIC, Duration.ofSeconds(20));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path writeSettings() throws IOException {
        Properties props = new Properties();
        props.put(ServiceConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        props.put(ServiceConfig.REGISTRY_URL, registry.url());
        props.put(ServiceConfig.REGISTRY_USER_INFO, USER_INFO);
        props.put("application.id", "glad-reliability");
        props.put("validation.categories", BadInputCorpus.CATEGORY);
        props.put(RecordLimits.SETTING, String.valueOf(BadInputCorpus.MAX_RECORD_BYTES));
        props.put("validation.max-decoded-bytes", String.valueOf(BadInputCorpus.MAX_DECODED_BYTES));
        props.put("statistics.window", "2s");
        props.put("statistics.grace", "1s");
        props.put("topics.partitions", "2");
        props.put("streams.state.dir", dir.resolve("streams-state").toString());
        props.put("streams.commit.interval.ms", "200");
        props.put("streams.num.stream.threads", "1");
        // A killed member is noticed after 6 s, the broker's minimum, not the default 45 s.
        props.put("streams.session.timeout.ms", "6000");
        props.put("streams.heartbeat.interval.ms", "1500");
        Path file = dir.resolve("streams.properties");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(out, "reliability suite");
        }
        return file;
    }

    private Process startStreams(Path settings) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path")));
        String logback = System.getProperty("logback.configurationFile");
        if (logback != null) {
            command.add("-Dlogback.configurationFile=" + logback);
        }
        command.add(StreamsProcess.class.getName());
        command.add(settings.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread output = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("STATE ")) {
                        String state = line.substring(6).trim();
                        lastState.put("state", state);
                        synchronized (states) {
                            states.add(state);
                        }
                    }
                    if (line.contains("WARN") || line.contains("ERROR") || line.startsWith("STATE")) {
                        System.out.println("[streams] " + line);
                    }
                }
            } catch (IOException processGone) {
                // The process was killed.
            }
        }, "streams-process-output");
        output.setDaemon(true);
        output.start();
        return process;
    }

    private void awaitState(String state) {
        awaitCondition(() -> state.equals(lastState.get("state")), "streams process " + state);
    }

    private KafkaProducer<byte[], byte[]> camera() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, RecordLimits.DEFAULTS.maxMessageBytes(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<byte[], byte[]> outputReader() {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reliability-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(TOPICS.requests(), TOPICS.deadLetter()));
        return consumer;
    }

    private void send(KafkaProducer<byte[], byte[]> camera, String phase, String kind, Set<String> expected,
                      byte[] key, byte[] value) throws Exception {
        RecordMetadata written = camera.send(new ProducerRecord<>(TOPICS.images(), key, value)).get(60, TimeUnit.SECONDS);
        sent.put(written.partition() + "@" + written.offset(), new Sent(kind, expected, phase));
    }

    private void sendValid(KafkaProducer<byte[], byte[]> camera, TopologySerdes serdes, String phase, int count)
            throws Exception {
        for (int i = 0; i < count; i++) {
            ImageEvent event = TestImages.pngEvent("cam-" + i % 5, BadInputCorpus.CATEGORY, 16, 16)
                    .setCaptureTime(Instant.now().minusSeconds(1)).build();
            send(camera, phase, "valid", Set.of("REQUEST"), event.getCameraId().getBytes(StandardCharsets.UTF_8),
                    serdes.images().serializer().serialize(TOPICS.images(), event));
        }
    }

    /** Valid images written with a newer version of the image schema (one more optional field), registered now. */
    private List<byte[]> evolvedImages(TopologySerdes serdes, int count) {
        Schema evolved = new Schema.Parser().parse(ImageEvent.getClassSchema().toString().replaceFirst(
                "\"fields\":\\[", "\"fields\":[{\"name\":\"exposureMicros\",\"type\":[\"null\",\"long\"],\"default\":null},"));
        Serde<GenericRecord> writer = AvroSerdes.generic(
                new HttpSchemaRegistryClient(registry.url(), USER_INFO), true, false);
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ImageEvent event = TestImages.pngEvent("cam-evolved", BadInputCorpus.CATEGORY, 16, 16).build();
            GenericRecord record = new GenericData.Record(evolved);
            for (Schema.Field field : ImageEvent.getClassSchema().getFields()) {
                record.put(field.name(), event.get(field.name()));
            }
            record.put("captureTime", Instant.now().minusSeconds(1).toEpochMilli());
            record.put("exposureMicros", 1200L + i);
            values.add(writer.serializer().serialize(TOPICS.images(), record));
        }
        return values;
    }

    private void awaitOutputs(KafkaConsumer<byte[], byte[]> reader, TopologySerdes serdes, String phase) {
        long started = System.nanoTime();
        long expected = sent.values().stream().filter(s -> s.phase().equals(phase)).count();
        awaitCondition(() -> {
            pollOutputs(reader, serdes, Duration.ofMillis(200));
            return phaseDone(phase) >= expected;
        }, "all outputs of phase " + phase);
        phaseFigures.put(phase, new long[] {expected, phaseDone(phase), (System.nanoTime() - started) / 1_000_000});
    }

    private long phaseDone(String phase) {
        return sent.entrySet().stream()
                .filter(e -> e.getValue().phase().equals(phase) && outcomes.containsKey(e.getKey())).count();
    }

    private void pollOutputs(KafkaConsumer<byte[], byte[]> reader, TopologySerdes serdes, Duration wait) {
        for (ConsumerRecord<byte[], byte[]> record : reader.poll(wait)) {
            String coordinates;
            String outcome;
            if (record.topic().equals(TOPICS.requests())) {
                InferenceRequest request = serdes.requests().deserializer().deserialize(record.topic(), record.value());
                coordinates = request.getSource().substring(request.getSource().lastIndexOf('-') + 1);
                outcome = "REQUEST";
            } else {
                RejectedImage rejected = serdes.rejections().deserializer().deserialize(record.topic(), record.value());
                coordinates = rejected.getSourcePartition() + "@" + rejected.getSourceOffset();
                outcome = rejected.getReason().name();
            }
            outcomes.computeIfAbsent(coordinates, c -> new ArrayList<>()).add(outcome);
        }
    }

    /**
     * Sends results with NaN and infinite scores, then later results until their window has closed;
     * returns its camera statistics. All on one partition, so the later results cannot overtake them.
     */
    private WindowStatistics statisticsWithNaNScores(TopologySerdes serdes) throws Exception {
        Instant capture = Instant.now().minusMillis(500);
        try (KafkaProducer<String, byte[]> worker = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> statistics = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                     ConsumerConfig.GROUP_ID_CONFIG, "reliability-statistics-" + UUID.randomUUID(),
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopologySerdes writer = TopologySerdes.using(new HttpSchemaRegistryClient(registry.url(), USER_INFO), true);
            for (double score : new double[] {0.2, Double.NaN, Double.POSITIVE_INFINITY, 0.4}) {
                worker.send(new ProducerRecord<>(TOPICS.results(), 0, "stats", result(writer, "cam-stats", score, capture)))
                        .get();
            }
            statistics.subscribe(List.of(TOPICS.statistics()));
            long deadline = System.nanoTime() + PHASE_DEADLINE.toNanos();
            while (System.nanoTime() < deadline) {
                // Later results, from cameras spread over the repartition topic, move stream time on.
                for (int i = 0; i < 8; i++) {
                    worker.send(new ProducerRecord<>(TOPICS.results(), 0, "later-" + i,
                            result(writer, "cam-later-" + i, 0.1, Instant.now()))).get();
                }
                for (ConsumerRecord<byte[], byte[]> record : statistics.poll(Duration.ofMillis(500))) {
                    WindowStatistics window = serdes.statistics().deserializer().deserialize(record.topic(), record.value());
                    if (window.getKey().equals("cam-stats")) {
                        return window;
                    }
                }
            }
        }
        throw new AssertionError("no statistics for cam-stats within " + PHASE_DEADLINE);
    }

    private static byte[] result(TopologySerdes writer, String camera, double score, Instant capture) {
        AnomalyResult result = AnomalyResult.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setCameraId(camera).setCategory(BadInputCorpus.CATEGORY)
                .setCaptureTime(capture).setScore(score).setDecision(Decision.NORMAL).setThreshold(1)
                .setModelVersion("v1").setTimings(new Timings(1L, 1L, 1)).setProducedAt(capture).build();
        return writer.results().serializer().serialize(TOPICS.results(), result);
    }

    private static void awaitCondition(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + PHASE_DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + PHASE_DEADLINE.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    private void writeReport(List<BadInputCorpus.Case> corpus, int lost, int duplicated, double seconds)
            throws IOException {
        StringBuilder report = new StringBuilder();
        report.append("## Inputs tried (").append(corpus.size()).append(" kinds, each sent ").append(COPIES)
                .append(" times)\n\n| kind | what | expected | observed |\n|---|---|---|---|\n");
        for (BadInputCorpus.Case c : corpus) {
            Map<String, Integer> observed = new TreeMap<>();
            sent.forEach((coordinates, s) -> {
                if (s.kind().equals(c.name())) {
                    outcomes.getOrDefault(coordinates, List.of("LOST")).forEach(o -> observed.merge(o, 1, Integer::sum));
                }
            });
            report.append("| ").append(c.name()).append(" | ").append(c.description()).append(" | ")
                    .append(String.join(" or ", new java.util.TreeSet<>(c.expected()))).append(" | ")
                    .append(observed.toString().replaceAll("[{}]", "")).append(" |\n");
        }
        report.append("\n## Faults survived\n\n| phase | records in | outputs out | lost | time to all outputs (ms) |\n"
                + "|---|---|---|---|---|\n");
        phaseFigures.forEach((phase, figures) -> report.append("| ").append(phase).append(" | ").append(figures[0])
                .append(" | ").append(figures[1]).append(" | ").append(figures[0] - figures[1]).append(" | ")
                .append(figures[2]).append(" |\n"));
        long out = outcomes.values().stream().mapToLong(List::size).sum();
        report.append("\nTotal: ").append(sent.size()).append(" records in, ").append(out).append(" outputs out, ")
                .append(lost).append(" lost, ").append(duplicated).append(" duplicated; streams states seen: ")
                .append(states).append("; the process was killed after ").append(killedAfter)
                .append(" of phase D's records had their output; suite time ").append(String.format("%.1f", seconds)).append(" s.\n");
        Path target = Path.of("target", "reliability-report.md");
        Files.createDirectories(target.getParent());
        Files.writeString(target, report.toString());
        System.out.println(report);
    }
}
