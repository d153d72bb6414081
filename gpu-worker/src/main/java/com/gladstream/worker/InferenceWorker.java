package com.gladstream.worker;

import com.gladstream.schemas.claimcheck.ClaimCheckReader;
import com.gladstream.schemas.claimcheck.ImageUriPolicy;
import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.worker.batching.InferencePipeline;
import com.gladstream.worker.heatmaps.HeatmapStore;
import com.gladstream.worker.images.RequestDecoder;
import com.gladstream.worker.inference.BatchInference;
import com.gladstream.worker.inference.InferenceScheduler;
import com.gladstream.worker.kafka.KafkaClients;
import com.gladstream.worker.kafka.OutcomeRecords;
import com.gladstream.worker.kafka.RegistryRetry;
import com.gladstream.worker.kafka.RequestConsumer;
import com.gladstream.worker.kafka.WorkerSerdes;
import com.gladstream.worker.models.ModelCache;
import com.gladstream.worker.models.ModelLoader;
import com.gladstream.worker.models.ModelWatcher;
import com.gladstream.worker.observability.WorkerEndpoint;
import com.gladstream.worker.observability.WorkerMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The inference worker: every validated request on the requests topic becomes exactly one
 * anomaly result (with its heatmap files) or one dead letter, produced in the same Kafka
 * transaction as the consumed offset. Composes the Kafka edge ({@link RequestConsumer}), the
 * Reactor pipeline ({@link InferencePipeline}), the models ({@link ModelWatcher},
 * {@link ModelCache}), the heatmap store and the metrics endpoint. docs/DESIGN.md describes the
 * flow of one event.
 */
public final class InferenceWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InferenceWorker.class);
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(2);

    private final ServiceConfig config;
    private final WorkerSettings settings;
    private final WorkerMetrics metrics = new WorkerMetrics();
    private final ModelCache models = new ModelCache();
    private final HeatmapStore heatmaps;
    private final ModelWatcher watcher;
    private final RequestConsumer requests;
    private final InferencePipeline pipeline;
    private final Scheduler decodeScheduler;
    private final Scheduler inferenceScheduler;
    private final Disposable sweeper;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean running;
    private Disposable flow;
    private WorkerEndpoint endpoint;

    public InferenceWorker(ServiceConfig config) {
        this.config = config;
        this.settings = WorkerSettings.from(config);
        KafkaClients clients = new KafkaClients(config);
        WorkerSerdes serdes = WorkerSerdes.from(config);
        RegistryRetry registry = new RegistryRetry(serdes.registry(), () -> running);
        this.heatmaps = new HeatmapStore(settings.heatmapDir(), settings.heatmapMaxAge(), settings.heatmapMaxBytes());
        this.watcher = new ModelWatcher(clients, settings.topics().models(), serdes.models().deserializer(), registry,
                new ModelLoader(settings.modelStore(), settings.maxBatchSize()), models, metrics);
        this.requests = new RequestConsumer(clients, settings.groupId(), "glad-worker-" + settings.workerId(),
                settings.topics().requests(), new OutcomeRecords(settings.topics(), serdes), settings.maxInFlight(),
                settings.shutdownTimeout(), metrics);
        this.decodeScheduler = InferenceScheduler.decode(settings.decodeThreads());
        this.inferenceScheduler = InferenceScheduler.inference(settings.inferenceThreads());
        RequestDecoder decoder = new RequestDecoder(serdes.requests().deserializer(), registry,
                new ClaimCheckReader(ImageUriPolicy.from(config), settings.maxImageBytes()),
                settings.maxImageBytes(), settings.maxPixels());
        this.pipeline = new InferencePipeline(decoder, new BatchInference(models, heatmaps, metrics), decodeScheduler,
                settings.decodeThreads(), inferenceScheduler, settings.inferenceThreads(), settings.maxBatchSize(),
                settings.maxBatchWait(), settings.batching());
        this.sweeper = Schedulers.single().schedulePeriodically(heatmaps::sweep, 1, 10, TimeUnit.MINUTES);
    }

    public WorkerSettings settings() {
        return settings;
    }

    public WorkerMetrics metrics() {
        return metrics;
    }

    public ModelCache models() {
        return models;
    }

    /** The metrics/health port, or -1 when the endpoint is off. */
    public int httpPort() {
        return endpoint == null ? -1 : endpoint.port();
    }

    /**
     * Creates missing topics (if {@code topics.create}), reads the models topic to its end, then
     * starts taking requests.
     */
    public void start() throws InterruptedException {
        running = true;
        try {
            Files.createDirectories(settings.modelStore());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the model store " + settings.modelStore(), e);
        }
        if (config.bool("topics.create", true)) {
            List<String> created = new KafkaClients(config).createMissingTopics(settings.topics());
            if (!created.isEmpty()) {
                log.info("created topics {}", created);
            }
        }
        if (settings.httpPort() >= 0) {
            try {
                endpoint = new WorkerEndpoint(settings.httpHost(), settings.httpPort(), metrics, this::health);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serve metrics on " + settings.httpHost() + ":" + settings.httpPort(), e);
            }
        }
        watcher.start();
        if (!watcher.awaitCaughtUp(CATCH_UP_TIMEOUT)) {
            throw new IllegalStateException("the models topic " + settings.topics().models() + " could not be read within "
                    + CATCH_UP_TIMEOUT);
        }
        flow = pipeline.run(requests.items(), requests::finishAll);
        requests.start();
        log.atInfo().addKeyValue("worker_id", settings.workerId()).addKeyValue("group", settings.groupId())
                .addKeyValue("models", models.versions())
                .log("worker serving {} ({} batching, batch {} / {} ms, {} in flight, {} inference thread(s))",
                        settings.topics().requests(), settings.batching().settingValue(), settings.maxBatchSize(),
                        settings.maxBatchWait().toMillis(), settings.maxInFlight(), settings.inferenceThreads());
    }

    private WorkerEndpoint.Health health() {
        boolean up = running && requests.isHealthy() && watcher.isAlive();
        String json = String.format("{\"status\":\"%s\",\"worker\":\"%s\",\"models\":%s,\"lag\":%d}",
                up ? "UP" : "DOWN", settings.workerId(), jsonObject(models.versions()), metrics.lag());
        return new WorkerEndpoint.Health(up, json);
    }

    private static String jsonObject(Map<String, String> map) {
        StringBuilder b = new StringBuilder("{");
        map.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append('"').append(k.replace("\"", "\\\""))
                .append("\":\"").append(v.replace("\"", "\\\"")).append('"'));
        return b.append('}').toString();
    }

    /** Blocks until {@link #close} or a shutdown signal (the in-flight batch then finishes and commits). */
    public void runUntilShutdown() throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "glad-worker-shutdown"));
        start();
        stopped.await();
    }

    /** Finishes and commits the in-flight requests (up to {@code worker.shutdown-timeout}), then stops. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        requests.close();
        running = false;
        if (flow != null) {
            flow.dispose();
        }
        watcher.close();
        sweeper.dispose();
        if (endpoint != null) {
            endpoint.close();
        }
        inferenceScheduler.dispose();
        decodeScheduler.dispose();
        models.close();
        stopped.countDown();
        log.info("worker {} stopped", settings.workerId());
    }
}
