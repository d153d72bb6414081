package com.gladstream.streams;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.schemas.config.Topics;

/**
 * What the streams application is configured with, read once from the service configuration.
 *
 * <table>
 *   <caption>Settings (environment overrides per {@link ServiceConfig})</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>application.id</td><td>glad-streams</td><td>Kafka Streams application id (consumer group, internal topic prefix)</td></tr>
 *   <tr><td>validation.max-pixels</td><td>16777216 (4096²)</td><td>largest width × height accepted</td></tr>
 *   <tr><td>validation.categories</td><td>(none)</td><td>categories accepted before any model is published, comma-separated</td></tr>
 *   <tr><td>retrain.normal-samples</td><td>200</td><td>NORMAL samples since the last model that trigger a retrain request</td></tr>
 *   <tr><td>statistics.window</td><td>1m</td><td>tumbling window of the result statistics</td></tr>
 *   <tr><td>statistics.grace</td><td>30s</td><td>how late a result may arrive and still count in its window</td></tr>
 *   <tr><td>registry.auto-register</td><td>true</td><td>register output schemas on first use</td></tr>
 *   <tr><td>topics.create</td><td>true</td><td>create missing topics at startup</td></tr>
 *   <tr><td>topics.partitions</td><td>3</td><td>partitions of topics created at startup</td></tr>
 * </table>
 */
public record StreamsSettings(
        String applicationId,
        Topics topics,
        long maxPixels,
        Set<String> categories,
        long retrainThreshold,
        Duration statisticsWindow,
        Duration statisticsGrace,
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
                config.longValue("validation.max-pixels", 4096L * 4096L, 1),
                new LinkedHashSet<>(config.list("validation.categories", List.of())),
                config.longValue("retrain.normal-samples", 200, 1),
                config.duration("statistics.window", Duration.ofMinutes(1)),
                config.duration("statistics.grace", Duration.ofSeconds(30)),
                config.bool("registry.auto-register", true),
                config.bool("topics.create", true),
                config.integer("topics.partitions", 3, 1));
    }
}
