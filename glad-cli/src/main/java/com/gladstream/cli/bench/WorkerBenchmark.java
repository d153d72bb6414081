package com.gladstream.cli.bench;

import com.gladstream.cli.demo.DemoModels;
import com.gladstream.glad.benchmark.Machine;
import com.gladstream.glad.benchmark.ProcessMemory;
import com.gladstream.glad.data.ImageLoader;
import com.gladstream.glad.data.MvtecCategory;
import com.gladstream.glad.data.Sample;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.pipeline.DetectorSession;
import com.gladstream.glad.reconstruction.NoiseSeeds;
import com.gladstream.local.broker.EmbeddedKafkaBroker;
import com.gladstream.local.registry.EmbeddedSchemaRegistry;
import com.gladstream.schemas.ImageEncoding;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.InferenceRequest;
import com.gladstream.schemas.SampleLabel;
import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.schemas.config.Topics;
import com.gladstream.schemas.registry.HttpSchemaRegistryClient;
import com.gladstream.worker.InferenceWorker;
import com.gladstream.worker.inference.InferenceScheduler;
import com.gladstream.worker.kafka.KafkaClients;
import com.gladstream.worker.kafka.WorkerSerdes;
import com.gladstream.worker.models.ModelAnnouncer;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@code glad bench worker}: the cost of Kafka around inference. The same images go, in one
 * process, once straight through the detector in batches of the worker's size on an inference
 * thread (the baseline), then through an embedded broker and a worker (requests in, results out,
 * exactly once, heatmaps written), with one and with two inference threads. Reports images/s,
 * the Kafka overhead as a fraction of worker time, and resident memory.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Measures images/s through Kafka and a worker against the detector called directly, in one process.")
public final class WorkerBenchmark implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--images", defaultValue = "64", paramLabel = "N", description = "Images per measurement (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--batch-size", defaultValue = "8", paramLabel = "N", description = "Micro-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--model-dir", paramLabel = "DIR", description = "Model to serve (default: the demo's model, trained on first use).")
    Path modelDir;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the table as Markdown to FILE.")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        Machine machine = Machine.current();
        MvtecCategory category = DemoModels.category(null, DemoModels.DEFAULT_CACHE, w);
        List<Sample> samples = category.testSamples();
        List<byte[]> encoded = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            encoded.add(Files.readAllBytes(samples.get(i % samples.size()).path()));
        }
        Table table = new Table(String.format(Locale.ROOT, "Worker: %d images of %s, batches of %d", count, category.name(),
                batchSize), "path", "inference threads", "images/s", "ratio to direct", "peak RSS (MiB)");
        try (GladModel model = DemoModels.model(category, modelDir, DemoModels.DEFAULT_CACHE, w)) {
            double direct = direct(model, encoded);
            table.row("detector called directly", "1", fmt(direct), "1.000", mib(ProcessMemory.now().peakResidentBytes()));
            w.println("direct: " + fmt(direct) + " images/s");
            w.flush();
            for (int threads : new int[] {1, 2}) {
                double kafka = throughKafka(model, category.name(), encoded, threads, w);
                table.row("through Kafka and the worker", Integer.toString(threads), fmt(kafka),
                        String.format(Locale.ROOT, "%.3f", kafka / direct), mib(ProcessMemory.now().peakResidentBytes()));
                w.printf(Locale.ROOT, "through Kafka, %d inference thread(s): %s images/s (%.3f of direct)%n", threads,
                        fmt(kafka), kafka / direct);
                w.flush();
            }
        }
        table.note("Same images, same batch size, same process; the direct path runs on an inference thread (gradients off)."
                + " Through Kafka: requests pre-serialised and produced at once, time from the first send to the last"
                + " result read (read committed), including decoding, heatmap files and transactions. Peak RSS is the"
                + " process's VmHWM after each row, so it only grows. Machine: " + machine.processors() + " CPUs, load "
                + machine.loadAverage() + " at start.");
        w.println();
        w.print(table.toText());
        w.flush();
        if (out != null) {
            Files.writeString(out, "## Worker benchmark\n\n- command: `./glad bench worker "
                    + String.join(" ", spec.commandLine().getParseResult().expandedArgs()) + "`\n- date: "
                    + Instant.now() + "\n\n" + table.toMarkdown());
        }
        return 0;
    }

    private double direct(GladModel model, List<byte[]> encoded) {
        Scheduler inference = InferenceScheduler.inference(1);
        try (DetectorSession session = DetectorSession.open(model, batchSize)) {
            return Mono.fromCallable(() -> {
                List<FloatImage> images = new ArrayList<>();
                List<Long> seeds = new ArrayList<>();
                for (int i = 0; i < encoded.size(); i++) {
                    images.add(ImageLoader.decodeUntrusted(encoded.get(i), "image " + i, 3, 1L << 24));
                    seeds.add(NoiseSeeds.of("bench-" + i));
                }
                session.detector().detect(images.subList(0, Math.min(batchSize, images.size())),
                        seeds.subList(0, Math.min(batchSize, images.size()))); // warm-up
                long start = System.nanoTime();
                session.detector().detect(images, seeds);
                return encoded.size() / ((System.nanoTime() - start) / 1e9);
            }).subscribeOn(inference).block();
        } finally {
            inference.dispose();
        }
    }

    private double throughKafka(GladModel model, String category, List<byte[]> encoded, int threads, PrintWriter w)
            throws Exception {
        Path work = Files.createTempDirectory("glad-bench-worker-");
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(work.resolve("kafka"), 0, 0, Map.of())) {
            broker.start();
            try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.inMemory()) {
                Map<String, String> settings = new HashMap<>();
                settings.put(ServiceConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
                settings.put(ServiceConfig.REGISTRY_URL, registry.url());
                settings.put("models.dir", work.resolve("models").toString());
                settings.put("heatmaps.dir", work.resolve("heatmaps").toString());
                settings.put("batch.max-size", Integer.toString(batchSize));
                settings.put("worker.max-in-flight", Integer.toString(4 * batchSize));
                settings.put("inference.threads", Integer.toString(threads));
                settings.put("worker.http.port", "-1");
                ServiceConfig config = ServiceConfig.of(settings, Map.of());
                Topics topics = config.topics();
                KafkaClients clients = new KafkaClients(config);
                WorkerSerdes serdes = WorkerSerdes.using(new HttpSchemaRegistryClient(registry.url()));
                try (InferenceWorker worker = new InferenceWorker(config)) {
                    new ModelAnnouncer(clients, serdes, topics.models(), work.resolve("models")).publish(model, Map.of(), 0);
                    worker.start();
                    List<ProducerRecord<byte[], byte[]>> warmUp = records(topics, serdes, category, encoded.subList(0, batchSize));
                    List<ProducerRecord<byte[], byte[]>> measured = records(topics, serdes, category, encoded);
                    try (KafkaProducer<byte[], byte[]> producer = clients.producer();
                            KafkaConsumer<byte[], byte[]> results = clients.consumer("bench-" + UUID.randomUUID(), 500)) {
                        results.subscribe(List.of(topics.results(), topics.deadLetter()));
                        warmUp.forEach(producer::send);
                        producer.flush();
                        awaitRecords(results, warmUp.size());
                        long start = System.nanoTime();
                        measured.forEach(producer::send);
                        producer.flush();
                        awaitRecords(results, measured.size());
                        return measured.size() / ((System.nanoTime() - start) / 1e9);
                    }
                }
            }
        }
    }

    private static List<ProducerRecord<byte[], byte[]>> records(Topics topics, WorkerSerdes serdes, String category,
            List<byte[]> encoded) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (byte[] bytes : encoded) {
            ImageEvent event = ImageEvent.newBuilder().setEventId("bench-" + UUID.randomUUID()).setCameraId("bench")
                    .setCategory(category).setCaptureTime(Instant.now()).setImageBytes(ByteBuffer.wrap(bytes))
                    .setEncoding(ImageEncoding.PNG).setWidth(0).setHeight(0).setLabel(SampleLabel.UNLABELED).build();
            InferenceRequest request = InferenceRequest.newBuilder().setImage(event).setValidatedAt(Instant.now())
                    .setSource("bench").build();
            records.add(new ProducerRecord<>(topics.requests(), category.getBytes(StandardCharsets.UTF_8),
                    serdes.requests().serializer().serialize(topics.requests(), request)));
        }
        return records;
    }

    private static void awaitRecords(KafkaConsumer<byte[], byte[]> consumer, int n) {
        int seen = 0;
        long end = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (seen < n && System.nanoTime() < end) {
            seen += consumer.poll(Duration.ofMillis(50)).count();
        }
        if (seen < n) {
            throw new IllegalStateException("only " + seen + " of " + n + " results arrived within 10 minutes");
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "n/a" : Long.toString(bytes >> 20);
    }
}
