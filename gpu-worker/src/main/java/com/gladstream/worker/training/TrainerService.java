package com.gladstream.worker.training;

import ai.djl.pytorch.jni.JniUtils;
import com.gladstream.schemas.ControlEvent;
import com.gladstream.schemas.RetrainRequested;
import com.gladstream.schemas.claimcheck.ClaimCheckReader;
import com.gladstream.schemas.claimcheck.ImageUriPolicy;
import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.worker.images.RequestDecoder;
import com.gladstream.worker.kafka.KafkaClients;
import com.gladstream.worker.kafka.RegistryRetry;
import com.gladstream.worker.kafka.WorkerSerdes;
import com.gladstream.worker.models.ModelAnnouncer;
import com.gladstream.glad.training.TrainingListener;
import com.gladstream.glad.training.TrainingProgress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Serde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer role ({@code glad trainer}): follows the control topic in its consumer group and
 * retrains a category for each {@code RetrainRequested}, on the {@link RetrainQueue}'s one thread.
 * Every request gets exactly one outcome on the control topic, {@code RetrainSucceeded} or
 * {@code RetrainFailed} with its reason, and progress events between. A request's offset is
 * committed once it is queued: a trainer that dies mid-run loses that run, which the sample counter
 * asks for again after another N samples (or an operator again). A group that has committed nothing
 * starts at the topic's end: a new trainer does not replay old requests.
 */
public final class TrainerService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TrainerService.class);
    private static final Duration ASSIGNMENT_TIMEOUT = Duration.ofSeconds(60);

    private final ServiceConfig config;
    private final TrainerSettings settings;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Serde<ControlEvent> control;
    private final RegistryRetry registry;
    private final ControlEvents events;
    private final Retrainer retrainer;
    private final RetrainQueue<ControlEvent> queue;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch assigned = new CountDownLatch(1);
    private volatile boolean running;

    public TrainerService(ServiceConfig config) {
        this.config = config;
        this.settings = TrainerSettings.from(config);
        KafkaClients clients = new KafkaClients(config);
        WorkerSerdes serdes = WorkerSerdes.from(config);
        this.registry = new RegistryRetry(serdes.registry(), () -> running);
        this.control = ControlEvents.serde(serdes.registry());
        this.events = new ControlEvents(clients, serdes.registry(), settings.topics().control());
        RequestDecoder decoder = new RequestDecoder(serdes.requests().deserializer(), registry,
                new ClaimCheckReader(ImageUriPolicy.from(config), settings.maxImageBytes()), settings.maxImageBytes(),
                settings.maxPixels());
        NormalSamples samples = new NormalSamples(clients, settings.topics().samples(), serdes.images().deserializer(),
                registry, decoder);
        this.retrainer = new Retrainer(settings,
                () -> PublishedModels.read(clients, settings.topics().models(), serdes.models().deserializer(), registry),
                samples, new ModelAnnouncer(clients, serdes, settings.topics().models(), settings.modelStore()));
        this.queue = new RetrainQueue<>(this::run);
        this.consumer = clients.consumerFromEnd(settings.groupId(), 100);
        this.thread = new Thread(this::poll, "glad-trainer-poll");
        thread.setDaemon(true);
    }

    public TrainerSettings settings() {
        return settings;
    }

    /** Creates missing topics (if {@code topics.create}) and starts following the control topic. */
    public void start() {
        running = true;
        try {
            Files.createDirectories(settings.workDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create retrain.work-dir " + settings.workDir(), e);
        }
        if (config.bool("topics.create", true)) {
            new KafkaClients(config).createMissingTopics(settings.topics());
        }
        consumer.subscribe(List.of(settings.topics().control()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                // Resolves where reading starts now, so a request sent after start() returns is read.
                partitions.forEach(consumer::position);
                assigned.countDown();
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}
        });
        thread.start();
        try {
            if (!assigned.await(ASSIGNMENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("no partition of " + settings.topics().control() + " was assigned to the"
                        + " trainer within " + ASSIGNMENT_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while joining the trainer group", e);
        }
        log.info("trainer following {} in group {}; models in {}", settings.topics().control(), settings.groupId(),
                settings.modelStore().toAbsolutePath());
    }

    /** Blocks until {@link #close} or a shutdown signal. */
    public void runUntilShutdown() throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "glad-trainer-shutdown"));
        start();
        stopped.await();
    }

    private void poll() {
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                // Requests of one poll are grouped per category first, so a burst becomes one run.
                Map<String, List<ControlEvent>> requests = new LinkedHashMap<>();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    ControlEvent event = read(record);
                    if (event != null && event.getPayload() instanceof RetrainRequested) {
                        requests.computeIfAbsent(event.getCategory(), c -> new ArrayList<>()).add(event);
                    }
                }
                requests.forEach((category, list) -> list.forEach(event -> {
                    RetrainQueue.Admission admission = queue.submit(category, event);
                    log.atInfo().addKeyValue("category", category).addKeyValue("request", event.getEventId())
                            .log("retrain request {}", admission.name().toLowerCase());
                    if (admission != RetrainQueue.Admission.STARTED) {
                        events.progress(category, event.getEventId(), admission.name().toLowerCase(), 0, 0, 0);
                    }
                }));
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        } catch (WakeupException stopping) {
            // close() woke the consumer up
        } catch (RuntimeException e) {
            log.error("trainer stopped: {}", e.toString(), e);
        } finally {
            consumer.close();
        }
    }

    private ControlEvent read(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            registry.awaitWriterSchema(record.value(), record.topic());
            return control.deserializer().deserialize(record.topic(), record.value());
        } catch (SerializationException e) {
            log.error("unreadable control event at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return null;
        }
    }

    /** One run for {@code requests} (all of one category); each request gets the run's outcome. */
    private void run(String category, List<ControlEvent> requests) {
        if (settings.torchThreads() > 0 && JniUtils.getNumThreads() != settings.torchThreads()) {
            JniUtils.setNumThreads(settings.torchThreads());
        }
        String lead = requests.get(0).getEventId();
        Integer steps = null;
        for (ControlEvent r : requests) {
            Integer asked = ((RetrainRequested) r.getPayload()).getSteps();
            steps = asked == null ? steps : asked;
        }
        try {
            Retrainer.Result result = retrainer.retrain(category, steps,
                    stage -> events.progress(category, lead, stage, 0, 0, 0), new StepEvents(category, lead));
            for (ControlEvent r : requests) {
                events.succeeded(category, r.getEventId(), result.published().getVersion(), result.parentVersion(),
                        result.samples(), result.excluded(), result.metrics());
            }
        } catch (RetrainRejectedException e) {
            log.atWarn().addKeyValue("category", category).addKeyValue("request", lead).log("retrain failed: {}", e.getMessage());
            requests.forEach(r -> events.failed(category, r.getEventId(), e.getMessage()));
        } catch (RuntimeException e) {
            log.atError().addKeyValue("category", category).addKeyValue("request", lead).setCause(e).log("retrain failed");
            requests.forEach(r -> events.failed(category, r.getEventId(), "retrain failed: " + e));
        }
    }

    /** Progress events during fine-tuning, at most one per {@code retrain.progress-interval} and the last step. */
    private final class StepEvents implements TrainingListener {
        private final String category;
        private final String request;
        private long lastSent;

        StepEvents(String category, String request) {
            this.category = category;
            this.request = request;
        }

        @Override
        public void onStep(TrainingProgress p) {
            long now = System.nanoTime();
            if (p.step() == p.totalSteps() || now - lastSent >= settings.progressInterval().toNanos()) {
                lastSent = now;
                events.progress(category, request, "fine-tuning", p.step(), p.totalSteps(), p.smoothedLoss());
            }
        }
    }

    /** Stops taking requests and interrupts a run in progress (a model is only ever published whole). */
    @Override
    public void close() {
        if (!running) {
            stopped.countDown();
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue.close();
        events.close();
        stopped.countDown();
        log.info("trainer stopped");
    }
}
