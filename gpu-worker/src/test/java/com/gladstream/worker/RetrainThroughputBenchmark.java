package com.gladstream.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.gladstream.glad.model.GladModel;
import com.gladstream.schemas.ControlEvent;
import com.gladstream.schemas.InferenceRequest;
import com.gladstream.schemas.RetrainProgress;
import com.gladstream.schemas.RetrainSucceeded;
import com.gladstream.worker.kafka.KafkaClients;
import com.gladstream.worker.training.ControlEvents;
import com.gladstream.worker.training.TrainerService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's images/s with and without a retrain running, in one process and one run: a backlog of
 * requests keeps the worker busy throughout; the results are counted over windows with no retrain,
 * with a retrain at full duty and with one at half duty (only the fine-tuning stage of each, from
 * its first to its last step event). Off by default; docs/BENCHMARKS.md has the command and figures.
 */
@EnabledIfSystemProperty(named = "glad.bench.retrain", matches = "true")
class RetrainThroughputBenchmark {

    private static final int STEPS = Integer.getInteger("glad.bench.retrain.steps", 150);
    private static final Duration BASELINE = Duration.ofSeconds(30);

    @TempDir
    Path root;

    @Test
    void workerThroughputWhileARetrainRuns() throws Exception {
        Testbed bed = new Testbed(root);
        byte[] png = TinyCategory.bytes(TinyCategory.testSamples().get(0).path());
        Map<String, String> overrides = Map.of("batch.max-size", "8", "worker.max-in-flight", "32");
        try (GladModel model = TinyCategory.model(1);
                InferenceWorker worker = new InferenceWorker(bed.config(overrides));
                ResultCounter results = new ResultCounter(bed)) {
            bed.publish(model);
            worker.start();
            results.start();
            // Keeps a backlog of at least 1000 requests ahead of the results, so the worker never idles.
            AtomicLong produced = new AtomicLong();
            Thread feeder = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    if (produced.get() - results.count() < 1000) {
                        bed.produceRequests(requests(png, 500));
                        produced.addAndGet(500);
                    } else {
                        try {
                            Thread.sleep(50);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "bench-feeder");
            feeder.setDaemon(true);
            feeder.start();
            Thread.sleep(10_000); // warm-up
            List<String> rows = new ArrayList<>();
            rows.add(row("no retrain", results.rate(BASELINE), BASELINE.toSeconds(), "-"));
            for (double duty : new double[] {1.0, 0.5}) {
                Map<String, String> trainer = new HashMap<>();
                trainer.put("retrain.group-id", "bench-" + UUID.randomUUID());
                trainer.put("retrain.work-dir", root.resolve("retrain").toString());
                trainer.put("retrain.min-samples", "8");
                trainer.put("retrain.steps", String.valueOf(STEPS));
                trainer.put("retrain.duty-cycle", String.valueOf(duty));
                trainer.put("retrain.progress-interval", "0s");
                trainer.put("retrain.validation-margin", "1");
                try (TrainerService service = new TrainerService(bed.config(trainer))) {
                    service.start();
                    RetrainSamples.produce(bed, RetrainSamples.normals(root, 24, (long) (duty * 100)));
                    rows.add(measureRetrain(bed, results, duty));
                }
                rows.add(row("no retrain, after", results.rate(BASELINE), BASELINE.toSeconds(), "-"));
            }
            String table = "| phase | worker images/s | window (s) | training steps/s |\n|---|---|---|---|\n"
                    + String.join("\n", rows) + "\n";
            feeder.interrupt();
            System.out.println(table);
            Files.writeString(Path.of("target", "retrain-benchmark.md"), table);
        }
    }

    private String measureRetrain(Testbed bed, ResultCounter results, double duty) {
        KafkaClients clients = new KafkaClients(bed.config(Map.of()));
        Map<TopicPartition, Long> from = ControlEvents.endOffsets(clients, bed.topics.control());
        ControlEvent request = ControlEvents.operatorRequest(TinyCategory.NAME, STEPS, "benchmark");
        try (ControlEvents events = new ControlEvents(clients, bed.serdes.registry(), bed.topics.control())) {
            events.send(request);
        }
        long[] window = new long[4]; // start ns, end ns, count at start, count at end
        Optional<ControlEvent> outcome = ControlEvents.follow(clients, ControlEvents.serde(bed.serdes.registry()),
                bed.topics.control(), from, request.getEventId(), Duration.ofMinutes(20), e -> {
                    if (e.getPayload() instanceof RetrainProgress p && p.getStage().equals("fine-tuning") && p.getStep() > 0) {
                        if (window[0] == 0) {
                            window[0] = System.nanoTime();
                            window[2] = results.count();
                        }
                        window[1] = System.nanoTime();
                        window[3] = results.count();
                    }
                });
        assertThat(outcome).hasValueSatisfying(e -> assertThat(e.getPayload()).isInstanceOf(RetrainSucceeded.class));
        double seconds = (window[1] - window[0]) / 1e9;
        return row(String.format(Locale.ROOT, "retrain running, duty cycle %.1f", duty), (window[3] - window[2]) / seconds,
                Math.round(seconds), String.format(Locale.ROOT, "%.2f", (STEPS - 1) / seconds));
    }

    private static String row(String phase, double rate, long seconds, String steps) {
        return String.format(Locale.ROOT, "| %s | %.1f | %d | %s |", phase, rate, seconds, steps);
    }

    private static List<InferenceRequest> requests(byte[] png, int n) {
        List<InferenceRequest> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(Testbed.request(Testbed.event(TinyCategory.NAME, png).build()));
        }
        return list;
    }

    /** Counts committed results as they arrive, on its own thread. */
    private static final class ResultCounter implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final AtomicLong count = new AtomicLong();
        private final Thread thread = new Thread(this::run, "bench-results");
        private volatile boolean running = true;

        ResultCounter(Testbed bed) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bed.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(bed.topics.results()));
        }

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        long count() {
            return count.get();
        }

        double rate(Duration window) throws InterruptedException {
            long before = count.get();
            long start = System.nanoTime();
            Thread.sleep(window.toMillis());
            return (count.get() - before) / ((System.nanoTime() - start) / 1e9);
        }

        private void run() {
            while (running) {
                count.addAndGet(consumer.poll(Duration.ofMillis(100)).count());
            }
            consumer.close();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5000);
        }
    }
}
