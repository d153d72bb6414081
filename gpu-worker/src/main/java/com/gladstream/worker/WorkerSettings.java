package com.gladstream.worker;

import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.schemas.config.Topics;
import com.gladstream.worker.batching.Batching;
import com.gladstream.worker.heatmaps.HeatmapStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * What an inference worker is configured with, read once from the service configuration
 * (environment overrides per {@link ServiceConfig}). docs/DESIGN.md explains the batching and
 * threading these settings control.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>worker.group-id</td><td>glad-worker</td><td>consumer group shared by all workers</td></tr>
 *   <tr><td>worker.id</td><td>random</td><td>this instance's stable id: its transactional id, so a restart fences its predecessor at once</td></tr>
 *   <tr><td>batch.max-size</td><td>8</td><td>images per micro-batch (one category)</td></tr>
 *   <tr><td>batch.max-wait</td><td>50ms</td><td>longest a partial batch waits for more images (static batching)</td></tr>
 *   <tr><td>worker.max-in-flight</td><td>32</td><td>images taken from Kafka and not yet committed; past it the partitions are paused</td></tr>
 *   <tr><td>inference.batching</td><td>continuous</td><td>{@code static}: micro-batches that run all their denoising
 *       steps before the next starts; {@code continuous}: images join a running batch at any step and leave when done
 *       (docs/DESIGN.md, "The worker's threads and batching"; measured in docs/BENCHMARKS.md)</td></tr>
 *   <tr><td>inference.threads</td><td>1</td><td>threads of the inference scheduler (each costs resident memory: docs/BENCHMARKS.md)</td></tr>
 *   <tr><td>decode.threads</td><td>1</td><td>threads decoding images</td></tr>
 *   <tr><td>models.dir</td><td>models</td><td>the model store</td></tr>
 *   <tr><td>heatmaps.dir</td><td>heatmaps</td><td>the heatmap store</td></tr>
 *   <tr><td>heatmaps.max-age</td><td>7d</td><td>heatmaps older than this are deleted</td></tr>
 *   <tr><td>heatmaps.max-bytes</td><td>10 GiB</td><td>oldest heatmaps are deleted past this total</td></tr>
 *   <tr><td>validation.max-decoded-bytes</td><td>67108864</td><td>the streams app's decoded-size cap; the worker
 *       decodes at most a quarter of it in pixels (4 bytes per 8-bit RGBA pixel)</td></tr>
 *   <tr><td>images.max-bytes</td><td>32 MiB</td><td>largest encoded image read inline or by URI</td></tr>
 *   <tr><td>worker.http.host / worker.http.port</td><td>127.0.0.1 / 8090</td><td>metrics and health endpoint; port 0 picks a free one, -1 turns it off</td></tr>
 *   <tr><td>worker.shutdown-timeout</td><td>30s</td><td>how long a stop waits for the in-flight batch</td></tr>
 * </table>
 */
public record WorkerSettings(
        Topics topics,
        String groupId,
        String workerId,
        int maxBatchSize,
        Duration maxBatchWait,
        int maxInFlight,
        int inferenceThreads,
        Batching batching,
        int decodeThreads,
        Path modelStore,
        Path heatmapDir,
        Duration heatmapMaxAge,
        long heatmapMaxBytes,
        long maxPixels,
        long maxImageBytes,
        String httpHost,
        int httpPort,
        Duration shutdownTimeout) {

    /** The default of {@code inference.batching}; docs/DESIGN.md says why. */
    public static final Batching DEFAULT_BATCHING = Batching.CONTINUOUS;

    public WorkerSettings {
        if (maxInFlight < maxBatchSize) {
            throw new IllegalArgumentException("worker.max-in-flight (" + maxInFlight
                    + ") must be at least batch.max-size (" + maxBatchSize + ")");
        }
        if (maxBatchWait.isZero()) {
            throw new IllegalArgumentException("batch.max-wait must be longer than zero");
        }
    }

    public static WorkerSettings from(ServiceConfig config) {
        return new WorkerSettings(
                config.topics(),
                config.string("worker.group-id", "glad-worker"),
                config.string("worker.id", "worker-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT)),
                config.integer("batch.max-size", 8, 1),
                config.duration("batch.max-wait", Duration.ofMillis(50)),
                config.integer("worker.max-in-flight", 32, 1),
                config.integer("inference.threads", 1, 1),
                Batching.parse(config.string("inference.batching", DEFAULT_BATCHING.settingValue())),
                config.integer("decode.threads", 1, 1),
                Path.of(config.string("models.dir", "models")),
                HeatmapStore.directory(config),
                config.duration("heatmaps.max-age", Duration.ofDays(7)),
                config.longValue("heatmaps.max-bytes", 10L << 30, 0),
                Math.max(1, config.longValue("validation.max-decoded-bytes", 4096L * 4096L * 4, 1) / 4),
                config.longValue("images.max-bytes", 32L << 20, 1),
                config.string("worker.http.host", "127.0.0.1"),
                config.integer("worker.http.port", 8090, -1),
                config.duration("worker.shutdown-timeout", Duration.ofSeconds(30)));
    }
}
