package com.gladstream.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.gladstream.cli.console.ConsoleSettings;
import com.gladstream.cli.console.OperatorConsole;
import com.gladstream.glad.data.MvtecCategory;
import com.gladstream.glad.data.StagedFolder;
import com.gladstream.glad.model.GladModel;
import com.gladstream.local.broker.EmbeddedKafkaBroker;
import com.gladstream.local.registry.EmbeddedSchemaRegistry;
import com.gladstream.local.registry.KafkaSchemaStore;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.ModelPublished;
import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.schemas.config.Topics;
import com.gladstream.streams.StreamsService;
import com.gladstream.worker.InferenceWorker;
import com.gladstream.worker.kafka.KafkaClients;
import com.gladstream.worker.kafka.WorkerSerdes;
import com.gladstream.worker.models.ModelAnnouncer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code glad demo}: the whole product in one JVM on embedded defaults. An embedded broker and
 * schema registry, the streams app and an inference worker; a model trained on a generated
 * category (cached for the next run) or given; a camera simulator streaming the test images and a
 * few corrupt frames; the verdicts read back, read committed, as a live table; a summary at the end.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs GLAD Stream end to end in this process, with the live operator page.",
            "Starts embedded Kafka and schema registry, the streams app, a worker, a model (trained on a"
                    + " generated category on first use and cached), the operator console, and simulated cameras streaming"
                    + " the category's test images (good and defective) plus a few corrupt frames. Prints each verdict as"
                    + " it arrives and a summary with I-AUROC and P-AUROC of what came back through Kafka."
        })
public final class DemoCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR",
            description = "A category in the MVTec layout to train on and stream (default: a generated one).")
    Path data;

    @Option(names = "--model-dir", paramLabel = "DIR", description = "A trained, calibrated model to serve instead of training one.")
    Path modelDir;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write summary.json and report.html (every result with its heatmap) here.")
    Path out;

    @Option(names = "--rate", defaultValue = "1", paramLabel = "N", description = "Frames per second from the cameras (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--cameras", defaultValue = "3", paramLabel = "N", description = "Simulated cameras (default: ${DEFAULT-VALUE}).")
    int cameras;

    @Option(names = "--corrupt", defaultValue = "3", paramLabel = "N", description = "Corrupt frames among them (default: ${DEFAULT-VALUE}).")
    int corrupt;

    @Option(names = "--cache", paramLabel = "DIR", description = "Where generated data and trained models are kept between runs"
            + " (default: ~/.cache/glad-stream/demo).")
    Path cache = DemoModels.DEFAULT_CACHE;

    @Option(names = "--keep-running", description = "Keep the services running after the stream until Ctrl-C.")
    boolean keepRunning;

    @Option(names = "--console-port", defaultValue = "8088", paramLabel = "N", description = "Port of the live operator"
            + " page on 127.0.0.1 (default: ${DEFAULT-VALUE}, or a free port when it is taken; -1: no page).")
    int consolePort;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        long started = System.nanoTime();
        MvtecCategory category = DemoModels.category(data, cache, w);
        Path work = Files.createTempDirectory("glad-demo-");
        say(w, "starting an embedded Kafka broker and schema registry");
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(work.resolve("kafka"), 0, 0, Map.of())) {
            broker.start();
            try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(0,
                    new KafkaSchemaStore(broker.bootstrapServers(), KafkaSchemaStore.DEFAULT_TOPIC))) {
                ServiceConfig config = config(broker.bootstrapServers(), registry.url(), work);
                return run(w, config, category, started);
            }
        }
    }

    private int run(PrintWriter w, ServiceConfig config, MvtecCategory category, long started) throws Exception {
        Topics topics = config.topics();
        KafkaClients clients = new KafkaClients(config);
        WorkerSerdes serdes = WorkerSerdes.from(config);
        try (StreamsService streams = new StreamsService(config); InferenceWorker worker = new InferenceWorker(config)) {
            streams.start();
            ModelPublished published;
            try (GladModel model = DemoModels.model(category, modelDir, cache, w)) {
                published = new ModelAnnouncer(clients, serdes, topics.models(), worker.settings().modelStore())
                        .publish(model, Map.of(), category.trainSamples().size());
            }
            say(w, String.format(Locale.ROOT, "serving %s model %s (threshold %.4f)", category.name(),
                    published.getVersion(), published.getThreshold()));
            worker.start();
            OperatorConsole console = startConsole(w, config);

            CameraSimulator cameras = new CameraSimulator(category, cameras(), corrupt, rate, 1);
            List<CameraSimulator.Frame> plan = cameras.plan(CameraSimulator.runId());
            Map<String, CameraSimulator.Frame> byId = new HashMap<>();
            plan.forEach(f -> byId.put(f.event().getEventId(), f));
            LiveTable table = new LiveTable(w, byId);
            say(w, String.format(Locale.ROOT, "%d cameras stream %d frames at %.1f/s (%d corrupt); ready after %.0f s",
                    cameras(), plan.size(), rate, corrupt, (System.nanoTime() - started) / 1e9));
            table.header();
            List<CameraSimulator.Frame> sent;
            try (ResultCollector collector = new ResultCollector(clients, topics, serdes, table::row);
                    KafkaProducer<byte[], byte[]> producer = clients.producer()) {
                collector.start();
                Serde<ImageEvent> images = serdes.images();
                sent = cameras.run(plan, frame -> {
                    table.sent(frame);
                    producer.send(new ProducerRecord<>(topics.images(),
                            frame.event().getCameraId().getBytes(StandardCharsets.UTF_8),
                            images.serializer().serialize(topics.images(), frame.event())));
                });
                collector.await(sent.size(), Duration.ofMinutes(5));
                DemoSummary summary = DemoSummary.of(sent, collector.arrivals(), collector.duplicates());
                printSummary(w, summary);
                if (out != null) {
                    String report = DemoReport.html(summary, sent, collector.arrivals());
                    StagedFolder.replace(out, dir -> {
                        JSON.writeValue(dir.resolve("summary.json").toFile(), summary.toJson());
                        Files.writeString(dir.resolve("report.html"), report);
                    });
                    say(w, "wrote " + out.resolve("summary.json") + " and " + out.resolve("report.html"));
                }
                if (keepRunning) {
                    say(w, "services keep running; press Ctrl-C to stop");
                    CountDownLatch stop = new CountDownLatch(1);
                    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
                    stop.await();
                }
                return summary.missing() == 0 && summary.duplicates() == 0 ? 0 : 1;
            } finally {
                if (console != null) {
                    console.close();
                }
            }
        }
    }

    private OperatorConsole startConsole(PrintWriter w, ServiceConfig config) throws IOException {
        if (consolePort < 0) {
            return null;
        }
        ConsoleSettings settings = ConsoleSettings.from(config).withAddress("127.0.0.1", consolePort);
        OperatorConsole console;
        try {
            console = OperatorConsole.start(config, settings);
        } catch (IOException taken) {
            console = OperatorConsole.start(config, settings.withAddress(null, 0));
        }
        say(w, "operator console on " + console.url());
        return console;
    }

    private int cameras() {
        return Math.max(1, cameras);
    }

    private static void printSummary(PrintWriter w, DemoSummary s) {
        w.println();
        w.printf(Locale.ROOT, "summary: %d frames, %d results, dead letters %s, %d missing, %d duplicates%n",
                s.images(), s.results(), s.deadLetters(), s.missing(), s.duplicates());
        w.printf(Locale.ROOT, "  %.2f images/s over %.1f s; latency p50 %.0f ms, p99 %.0f ms%n",
                s.imagesPerSecond(), s.seconds(), s.latencyP50Millis(), s.latencyP99Millis());
        w.printf(Locale.ROOT, "  I-AUROC %.3f, P-AUROC %.3f (of the results that came back through Kafka)%n",
                s.imageAuroc(), s.pixelAuroc());
        w.flush();
    }

    private static void say(PrintWriter w, String line) {
        w.println("demo: " + line);
        w.flush();
    }

    /** One place for the settings every embedded service of the demo shares. */
    private static ServiceConfig config(String bootstrap, String registryUrl, Path work) {
        Map<String, String> settings = new HashMap<>();
        settings.put(ServiceConfig.BOOTSTRAP_SERVERS, bootstrap);
        settings.put(ServiceConfig.REGISTRY_URL, registryUrl);
        settings.put("application.id", "glad-demo-streams");
        settings.put("streams.state.dir", work.resolve("streams").toString());
        settings.put("streams.commit.interval.ms", "100");
        settings.put("topics.partitions", "3");
        settings.put("models.dir", work.resolve("models").toString());
        settings.put("heatmaps.dir", work.resolve("heatmaps").toString());
        settings.put("worker.id", "demo-worker");
        settings.put("worker.http.port", "0");
        settings.put("batch.max-wait", "100ms");
        // Short windows, so the operator page shows per-camera statistics while the demo streams.
        settings.put("statistics.window", "5s");
        settings.put("statistics.grace", "1s");
        return ServiceConfig.of(settings, Map.of());
    }
}
