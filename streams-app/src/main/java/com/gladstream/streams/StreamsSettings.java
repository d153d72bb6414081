package com.gladstream.streams;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.gladstream.schemas.claimcheck.ImageUriPolicy;
import com.gladstream.schemas.config.RecordLimits;
import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.schemas.config.Topics;

/**
 * What the streams application is configured with, read once from the service configuration.
 *
 * <table>
 *   <caption>Settings (environment overrides per {@link ServiceConfig})</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>application.id</td><td>glad-streams</td><td>Kafka Streams application id (consumer group, internal topic prefix)</td></tr>
 *   <tr><td>validation.max-decoded-bytes</td><td>67108864 (4096² × 4)</td><td>largest decoded image accepted:
 *       width × height × bytes per pixel, so a 16-bit image counts twice an 8-bit one</td></tr>
 *   <tr><td>validation.max-clock-skew</td><td>5m</td><td>how far a capture time may lie ahead of the broker's
 *       append time (and this service's clock); later frames are dead-lettered as CLOCK_SKEW</td></tr>
 *   <tr><td>images.file-roots / images.http-hosts</td><td>(none)</td><td>where claim-check URIs may point
 *       ({@link ImageUriPolicy}); with neither set every imageUri is refused as URI_NOT_ALLOWED</td></tr>
 *   <tr><td>records.max-bytes</td><td>983040 (1 MiB − 64 KiB)</td><td>largest image record (key + value)
 *       accepted; topics are created to hold 64 KiB more ({@link RecordLimits})</td></tr>
 *   <tr><td>validation.categories</td><td>(none)</td><td>categories accepted before any model is published, comma-separated</td></tr>
 *   <tr><td>retrain.normal-samples</td><td>200</td><td>NORMAL samples since the last model that trigger a retrain request</td></tr>
 *   <tr><td>statistics.window</td><td>1m</td><td>tumbling window of the result statistics</td></tr>
 *   <tr><td>statistics.grace</td><td>30s</td><td>how late a result may arrive and still count in its window</td></tr>
 *   <tr><td>statistics.max-pending-windows</td><td>10000</td><td>(camera or category, window) summaries held
 *       until their window closes; beyond it the oldest are emitted early, so random camera ids cannot
 *       exhaust memory</td></tr>
 *   <tr><td>registry.auto-register</td><td>true</td><td>register output schemas on first use</td></tr>
 *   <tr><td>topics.create</td><td>true</td><td>create missing topics at startup</td></tr>
 *   <tr><td>topics.partitions</td><td>3</td><td>partitions of topics created at startup</td></tr>
 * </table>
 */
public record StreamsSettings(
        String applicationId,
        Topics topics,
        long maxDecodedBytes,
        Duration maxClockSkew,
        ImageUriPolicy uriPolicy,
        RecordLimits recordLimits,
        Set<String> categories,
        long retrainThreshold,
        Duration statisticsWindow,
        Duration statisticsGrace,
        long maxPendingWindows,
        boolean autoRegisterSchemas,
        boolean createTopics,
        int topicPartitions) {

    public StreamsSettings {
        categories = Set.copyOf(categories);
        if (statisticsWindow.isZero()) {
            throw new IllegalArgumentException("statistics.window must be longer than zero");
        }
    }

    public static StreamsSettings from(ServiceConfig config) {
        return new StreamsSettings(
                config.string("application.id", "glad-streams"),
                config.topics(),
                config.longValue("validation.max-decoded-bytes", 4096L * 4096L * 4, 1),
                config.duration("validation.max-clock-skew", Duration.ofMinutes(5)),
                ImageUriPolicy.from(config),
                RecordLimits.from(config),
                new LinkedHashSet<>(config.list("validation.categories", List.of())),
                config.longValue("retrain.normal-samples", 200, 1),
                config.duration("statistics.window", Duration.ofMinutes(1)),
                config.duration("statistics.grace", Duration.ofSeconds(30)),
                config.longValue("statistics.max-pending-windows", 10_000, 1),
                config.bool("registry.auto-register", true),
                config.bool("topics.create", true),
                config.integer("topics.partitions", 3, 1));
    }
}
