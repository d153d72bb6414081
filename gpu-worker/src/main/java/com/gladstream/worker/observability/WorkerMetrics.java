package com.gladstream.worker.observability;

import com.gladstream.schemas.RejectReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The worker's metrics, scraped by Prometheus at {@code /metrics}: batch sizes, queue wait,
 * inference time, images (a counter: its rate is images/s), consumer lag, in-flight images, dead
 * letters by reason, model load failures.
 */
public final class WorkerMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DistributionSummary batchSize;
    private final Timer queueWait;
    private final Timer inference;
    private final Timer step;
    private final Counter images;
    private final Counter results;
    private final Map<RejectReason, Counter> deadLetters = new EnumMap<>(RejectReason.class);
    private final Counter modelLoadFailures;
    private final Counter transactionsAborted;
    private final AtomicLong lag = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong assignedPartitions = new AtomicLong();

    public WorkerMetrics() {
        batchSize = DistributionSummary.builder("glad.worker.batch.size")
                .description("images per micro-batch (static batching) or per denoising step (continuous)")
                .publishPercentiles(0.5, 0.95).register(registry);
        queueWait = Timer.builder("glad.worker.queue.wait").description("from validation to the start of inference")
                .publishPercentiles(0.5, 0.95, 0.99).register(registry);
        inference = Timer.builder("glad.worker.inference").description("wall time of one micro-batch's detection")
                .publishPercentiles(0.5, 0.95).register(registry);
        step = Timer.builder("glad.worker.step").description("wall time of one denoising step of a continuous batch")
                .publishPercentiles(0.5, 0.95).register(registry);
        images = Counter.builder("glad.worker.images").description("images inferred on").register(registry);
        results = Counter.builder("glad.worker.results").description("results committed").register(registry);
        for (RejectReason reason : RejectReason.values()) {
            deadLetters.put(reason, Counter.builder("glad.worker.dead.letters").tag("reason", reason.name())
                    .description("dead letters committed, by reason").register(registry));
        }
        modelLoadFailures = Counter.builder("glad.worker.model.load.failures").register(registry);
        transactionsAborted = Counter.builder("glad.worker.transactions.aborted").register(registry);
        Gauge.builder("glad.worker.consumer.lag", lag, AtomicLong::get)
                .description("records on the assigned request partitions not yet consumed").register(registry);
        Gauge.builder("glad.worker.assigned.partitions", assignedPartitions, AtomicLong::get)
                .description("request partitions this worker owns").register(registry);
        Gauge.builder("glad.worker.in.flight", inFlight, AtomicLong::get)
                .description("records taken from Kafka and not yet committed").register(registry);
    }

    public void batch(int size, Duration elapsed) {
        batchSize.record(size);
        inference.record(elapsed);
        images.increment(size);
    }

    /** One denoising step of a continuous batch of {@code size} images. */
    public void step(int size, Duration elapsed) {
        batchSize.record(size);
        step.record(elapsed);
    }

    /** Images that left a continuous batch (finished, or failed even alone). */
    public void inferred(int count) {
        images.increment(count);
    }

    public void queueWait(Duration wait) {
        queueWait.record(wait.isNegative() ? Duration.ZERO : wait);
    }

    public void committed(int resultCount, Map<RejectReason, Integer> deadLettersByReason) {
        results.increment(resultCount);
        deadLettersByReason.forEach((reason, n) -> deadLetters.get(reason).increment(n));
    }

    public void modelLoadFailed() {
        modelLoadFailures.increment();
    }

    public void transactionAborted() {
        transactionsAborted.increment();
    }

    public void lag(long records) {
        lag.set(records);
    }

    public void inFlight(long records) {
        inFlight.set(records);
    }

    public void assignedPartitions(int partitions) {
        assignedPartitions.set(partitions);
    }

    public long assignedPartitions() {
        return assignedPartitions.get();
    }

    public long lag() {
        return lag.get();
    }

    public double imagesInferred() {
        return images.count();
    }

    public double resultsCommitted() {
        return results.count();
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }
}
