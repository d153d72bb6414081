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
import com.gladstream.glad.scoring.Quantiles;
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
import com.gladstream.worker.WorkerSettings;
import com.gladstream.worker.batching.Batching;
import com.gladstream.worker.inference.InferenceScheduler;
import com.gladstream.worker.kafka.KafkaClients;
import com.gladstream.worker.kafka.WorkerSerdes;
import com.gladstream.worker.models.ModelAnnouncer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 * the Kafka overhead as a fraction of worker time, and resident memory. With {@code --batching} it
 * compares continuous with static batching instead: latency and images/s on one arrival trace.
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

    @Option(names = "--batching", description = "Instead: continuous against static batching, in alternating rounds on"
            + " one seeded Poisson arrival trace at --load of the static capacity, measured first.")
    boolean compareBatching;

    @Option(names = "--load", defaultValue = "0.8", paramLabel = "F",
            description = "With --batching: arrival rate as a fraction of the static capacity (default: ${DEFAULT-VALUE}).")
    double load;

    @Option(names = "--rounds", defaultValue = "3", paramLabel = "N",
            description = "With --batching: rounds of each batching (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
            description = "With --batching: seed of the arrival trace (default: ${DEFAULT-VALUE}).")
    long seed;

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
        if (compareBatching) {
            compareBatching(w, machine, category, encoded);
            return 0;
        }
        Table table = new Table(String.format(Locale.ROOT, "Worker: %d images of %s, batches of %d", count, category.name(),
                batchSize), "path", "inference threads", "images/s", "ratio to direct", "peak RSS (MiB)");
        try (GladModel model = DemoModels.model(category, modelDir, DemoModels.DEFAULT_CACHE, w)) {
            double direct = direct(model, encoded);
            table.row("detector called directly", "1", fmt(direct), "1.000", mib(ProcessMemory.now().peakResidentBytes()));
            w.println("direct: " + fmt(direct) + " images/s");
            w.flush();
            for (int threads : new int[] {1, 2}) {
                double kafka = throughKafka(model, category.name(), encoded, threads);
                table.row("through Kafka and the worker", Integer.toString(threads), fmt(kafka),
                        ratio(kafka, direct), mib(ProcessMemory.now().peakResidentBytes()));
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
        report(w, machine, "Worker benchmark", table);
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

    private double throughKafka(GladModel model, String category, List<byte[]> encoded, int threads) throws Exception {
        try (BenchKafka kafka = new BenchKafka()) {
            return replay(kafka, model, category, encoded, new double[encoded.size()], WorkerSettings.DEFAULT_BATCHING,
                    threads).imagesPerSecond();
        }
    }

    /** One replay of a trace: images/s from the first send to the last result read, and each image's latency. */
    private record Round(Batching batching, double imagesPerSecond, double[] latencyMillis) {}

    /**
     * Sends request {@code i} at {@code arrivals[i]} seconds after the start (all at once when they are
     * zero) to a new worker with {@code batching}, after a warm-up batch, and reads the results back.
     */
    private Round replay(BenchKafka kafka, GladModel model, String category, List<byte[]> encoded, double[] arrivals,
            Batching batching, int threads) throws Exception {
        ServiceConfig config = kafka.config(batchSize, threads, batching);
        Topics topics = config.topics();
        KafkaClients clients = new KafkaClients(config);
        try (InferenceWorker worker = kafka.start(config, model);
                Reader results = new Reader(clients, topics);
                KafkaProducer<byte[], byte[]> producer = clients.producer()) {
            List<ProducerRecord<byte[], byte[]>> warmUp = kafka.records(topics, category, encoded.subList(0, batchSize), "warm-up-");
            warmUp.forEach(producer::send);
            producer.flush();
            results.await(warmUp.size());
            List<ProducerRecord<byte[], byte[]>> trace = kafka.records(topics, category, encoded, "trace-");
            long[] sentAt = new long[trace.size()];
            long start = System.nanoTime();
            for (int i = 0; i < trace.size(); i++) {
                long due = start + (long) (arrivals[i] * 1e9);
                for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
                    LockSupport.parkNanos(due - now);
                }
                sentAt[i] = System.nanoTime();
                producer.send(trace.get(i));
            }
            producer.flush();
            results.await(warmUp.size() + trace.size());
            double[] latencies = new double[trace.size()];
            long last = 0;
            for (int i = 0; i < trace.size(); i++) {
                long read = results.readAt("trace-" + i);
                latencies[i] = (read - sentAt[i]) / 1e6;
                last = Math.max(last, read);
            }
            return new Round(batching, trace.size() / ((last - sentAt[0]) / 1e9), latencies);
        }
    }

    /**
     * Static against continuous batching: the static capacity from a burst, then one seeded Poisson
     * arrival trace at {@code load} of it, replayed to a fresh worker of each kind in alternating rounds
     * (ABBA, so a drift in machine load hits both alike).
     */
    private void compareBatching(PrintWriter w, Machine machine, MvtecCategory category, List<byte[]> encoded)
            throws Exception {
        Map<Batching, List<Round>> rounds = new EnumMap<>(Batching.class);
        Table perRound = new Table("Rounds", "round", "batching", "images/s", "p50 latency (ms)", "p99 latency (ms)");
        double capacity;
        double rate;
        try (GladModel model = DemoModels.model(category, modelDir, DemoModels.DEFAULT_CACHE, w);
                BenchKafka kafka = new BenchKafka()) {
            capacity = replay(kafka, model, category.name(), encoded, new double[encoded.size()], Batching.STATIC, 1)
                    .imagesPerSecond();
            rate = load * capacity;
            w.printf(Locale.ROOT, "static capacity: %s images/s; replaying %d Poisson arrivals at %s images/s%n",
                    fmt(capacity), encoded.size(), fmt(rate));
            w.flush();
            double[] arrivals = poissonArrivals(rate, encoded.size(), seed);
            for (int r = 0; r < this.rounds; r++) {
                List<Batching> order = r % 2 == 0 ? List.of(Batching.STATIC, Batching.CONTINUOUS)
                        : List.of(Batching.CONTINUOUS, Batching.STATIC);
                for (Batching batching : order) {
                    Round round = replay(kafka, model, category.name(), encoded, arrivals, batching, 1);
                    rounds.computeIfAbsent(batching, b -> new ArrayList<>()).add(round);
                    String[] row = {Integer.toString(r + 1), batching.settingValue(), fmt(round.imagesPerSecond()),
                            fmt(Quantiles.of(round.latencyMillis(), 0.5)), fmt(Quantiles.of(round.latencyMillis(), 0.99))};
                    perRound.row(row);
                    w.println("round " + String.join(" | ", row));
                    w.flush();
                }
            }
        }
        String endLoad = Machine.current().loadAverage();
        Table summary = new Table(String.format(Locale.ROOT,
                "Batching: %d Poisson arrivals of %s at %s images/s (%.0f %% of the static capacity, %s images/s),"
                        + " batches of %d, %d rounds each", encoded.size(), category.name(), fmt(rate), 100 * load,
                fmt(capacity), batchSize, this.rounds),
                "batching", "images/s (median of rounds)", "p50 latency (ms)", "p99 latency (ms)");
        double[][] figures = new double[2][];
        for (Batching batching : List.of(Batching.STATIC, Batching.CONTINUOUS)) {
            List<Round> of = rounds.get(batching);
            double[] pooled = of.stream().flatMapToDouble(round -> Arrays.stream(round.latencyMillis())).toArray();
            double[] figure = {Quantiles.of(of.stream().mapToDouble(Round::imagesPerSecond).toArray(), 0.5),
                    Quantiles.of(pooled, 0.5), Quantiles.of(pooled, 0.99)};
            figures[batching.ordinal()] = figure;
            summary.row(batching.settingValue(), fmt(figure[0]), fmt(figure[1]), fmt(figure[2]));
        }
        summary.row("continuous / static", ratio(figures[1][0], figures[0][0]), ratio(figures[1][1], figures[0][1]),
                ratio(figures[1][2], figures[0][2]));
        summary.note("Latency: from the send of a request to its result read back (read committed), pooled over the"
                + " rounds; images/s: the trace's images over the time from its first send to its last result. Every"
                + " round is a fresh worker (1 inference thread, " + 4 * batchSize + " in flight) on topics of its own,"
                + " after one warm-up batch; the static capacity is a burst of the same images to a static worker."
                + " Trace seed " + seed + ". Machine: " + machine.processors() + " CPUs, load average "
                + machine.loadAverage() + " at start and " + endLoad + " at the end.");
        report(w, machine, "Continuous against static batching", summary, perRound);
    }

    /** Prints the tables and, with {@code --out}, writes them as one section under {@code heading}. */
    private void report(PrintWriter w, Machine machine, String heading, Table... tables) throws IOException {
        BenchReport report = new BenchReport(heading, spec, machine);
        for (Table table : tables) {
            report.add(w, table);
        }
        report.finish(w, out);
    }

    /** Arrival times in seconds of a Poisson process of {@code rate} per second, from {@code seed}. */
    static double[] poissonArrivals(double rate, int count, long seed) {
        Random random = new Random(seed);
        double[] arrivals = new double[count];
        double t = 0;
        for (int i = 0; i < count; i++) {
            t += -Math.log(1 - random.nextDouble()) / rate;
            arrivals[i] = t;
        }
        return arrivals;
    }

    private static String ratio(double a, double b) {
        return String.format(Locale.ROOT, "%.3f", a / b);
    }

    /**
     * A broker and registry for the whole measurement, with the model announced once; each worker gets
     * requests, results and dead-letter topics and a group of its own, so no run reads another's.
     */
    private static final class BenchKafka implements AutoCloseable {
        private final Path work;
        private final EmbeddedKafkaBroker broker;
        private final EmbeddedSchemaRegistry registry;
        private final WorkerSerdes serdes;
        private int workers;

        BenchKafka() throws Exception {
            work = Files.createTempDirectory("glad-bench-worker-");
            broker = new EmbeddedKafkaBroker(work.resolve("kafka"), 0, 0, Map.of());
            broker.start();
            registry = EmbeddedSchemaRegistry.inMemory();
            serdes = WorkerSerdes.using(new HttpSchemaRegistryClient(registry.url()));
        }

        ServiceConfig config(int batchSize, int threads, Batching batching) {
            String prefix = "bench" + ++workers + ".";
            Map<String, String> settings = new HashMap<>();
            settings.put(ServiceConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
            settings.put(ServiceConfig.REGISTRY_URL, registry.url());
            settings.put("models.dir", work.resolve("models").toString());
            settings.put("heatmaps.dir", work.resolve("heatmaps").toString());
            settings.put("topic.requests", prefix + "requests");
            settings.put("topic.results", prefix + "results");
            settings.put("topic.dead-letter", prefix + "dead-letter");
            settings.put("worker.group-id", prefix + "workers");
            settings.put("worker.id", prefix + "worker");
            settings.put("batch.max-size", Integer.toString(batchSize));
            settings.put("worker.max-in-flight", Integer.toString(4 * batchSize));
            settings.put("inference.threads", Integer.toString(threads));
            settings.put("inference.batching", batching.settingValue());
            settings.put("worker.http.port", "-1");
            return ServiceConfig.of(settings, Map.of());
        }

        /** A started worker serving {@code model} (announced on the shared models topic before the first worker). */
        InferenceWorker start(ServiceConfig config, GladModel model) throws InterruptedException {
            if (workers == 1) {
                new ModelAnnouncer(new KafkaClients(config), serdes, config.topics().models(), work.resolve("models"))
                        .publish(model, Map.of(), 0);
            }
            InferenceWorker worker = new InferenceWorker(config);
            try {
                worker.start();
            } catch (RuntimeException | InterruptedException e) {
                worker.close();
                throw e;
            }
            return worker;
        }

        /** Pre-serialised requests for the images, with event ids {@code idPrefix + index}. */
        List<ProducerRecord<byte[], byte[]>> records(Topics topics, String category, List<byte[]> encoded, String idPrefix) {
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int i = 0; i < encoded.size(); i++) {
                ImageEvent event = ImageEvent.newBuilder().setEventId(idPrefix + i).setCameraId("bench")
                        .setCategory(category).setCaptureTime(Instant.now()).setImageBytes(ByteBuffer.wrap(encoded.get(i)))
                        .setEncoding(ImageEncoding.PNG).setWidth(0).setHeight(0).setLabel(SampleLabel.UNLABELED).build();
                InferenceRequest request = InferenceRequest.newBuilder().setImage(event).setValidatedAt(Instant.now())
                        .setSource("bench").build();
                records.add(new ProducerRecord<>(topics.requests(), category.getBytes(StandardCharsets.UTF_8),
                        serdes.requests().serializer().serialize(topics.requests(), request)));
            }
            return records;
        }

        @Override
        public void close() {
            try {
                registry.close();
            } finally {
                broker.close();
            }
        }
    }

    /**
     * Reads a worker's results, read committed, on a thread of its own, and notes when each event's
     * result was read; a dead letter fails the measurement.
     */
    private static final class Reader implements AutoCloseable {
        private final Map<String, Long> readAt = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile String deadLetter;

        Reader(KafkaClients clients, Topics topics) {
            KafkaConsumer<byte[], byte[]> consumer = clients.consumer("bench-" + UUID.randomUUID(), 500);
            consumer.subscribe(List.of(topics.results(), topics.deadLetter()));
            thread = new Thread(() -> {
                try (consumer) {
                    while (running) {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(10))) {
                            if (r.topic().equals(topics.deadLetter())) {
                                deadLetter = r.topic() + "@" + r.offset();
                            } else {
                                readAt.put(new String(r.key(), StandardCharsets.UTF_8), System.nanoTime());
                            }
                        }
                    }
                }
            }, "glad-bench-reader");
            thread.start();
        }

        /** Waits until the results of {@code count} events in all have been read. */
        void await(int count) {
            long end = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (readAt.size() < count && deadLetter == null && System.nanoTime() < end) {
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
            if (deadLetter != null) {
                throw new IllegalStateException("a request was dead-lettered (" + deadLetter + "); see the worker's log");
            }
            if (readAt.size() < count) {
                throw new IllegalStateException("only " + readAt.size() + " of " + count + " results arrived within 10 minutes");
            }
        }

        long readAt(String eventId) {
            return readAt.get(eventId);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "n/a" : Long.toString(bytes >> 20);
    }
}
