package com.gladstream.schemas.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates whichever of the GLAD Stream topics do not exist yet, so a service started against a
 * fresh cluster finds its topics. Existing topics are left as they are. Every topic gets the same
 * {@code max.message.bytes} ({@link RecordLimits#maxMessageBytes()}), so an output of an accepted
 * input always fits wherever it goes. The images and results topics stamp records with the
 * broker's clock ({@code message.timestamp.type=LogAppendTime}), so a capture time is checked
 * against the broker's clock, not against the camera's or the worker's. The models topic is compacted (the latest version per category is
 * what matters); the others use the broker's retention. Replication follows the broker's
 * {@code default.replication.factor}.
 */
public final class TopicSetup {

    private TopicSetup() {}

    /** Creates the missing topics with {@code partitions} partitions each; returns the names it created. */
    public static List<String> createMissing(Admin admin, Topics topics, int partitions, RecordLimits limits) {
        if (partitions < 1) {
            throw new IllegalArgumentException("topics need at least one partition, got " + partitions);
        }
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.all().stream()
                    .filter(name -> !existing.contains(name))
                    .map(name -> newTopic(name, topics, partitions, limits))
                    .toList();
            for (var result : admin.createTopics(missing).values().entrySet()) {
                try {
                    result.getValue().get();
                } catch (ExecutionException e) {
                    // Another service created it between our listing and our request: that is fine.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            return missing.stream().map(NewTopic::name).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the GLAD Stream topics: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static NewTopic newTopic(String name, Topics topics, int partitions, RecordLimits limits) {
        Map<String, String> configs = new HashMap<>();
        configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(limits.maxMessageBytes()));
        if (name.equals(topics.models())) {
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        if (name.equals(topics.images()) || name.equals(topics.results())) {
            configs.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
        }
        return new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs);
    }
}
