package com.gladstream.worker.training;

import com.gladstream.schemas.ModelPublished;
import com.gladstream.worker.kafka.KafkaClients;
import com.gladstream.worker.kafka.RegistryRetry;
import com.gladstream.worker.models.ModelAnnouncements;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The serving version of every category as the compacted models topic says now: the newest
 * announcement per category, read from the beginning to the end offsets taken at the start, as the
 * workers read it. An unreadable announcement is logged and skipped, as the workers skip it.
 */
public final class PublishedModels {

    private PublishedModels() {}

    public static Map<String, ModelPublished> read(KafkaClients clients, String topic, Deserializer<ModelPublished> models,
            RegistryRetry registry) {
        Map<String, ModelPublished> latest = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer(null, 500)) {
            List<TopicPartition> partitions = TopicScan.partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            ModelAnnouncements announcements = new ModelAnnouncements(models, registry);
            TopicScan.readTo(consumer, consumer.endOffsets(partitions),
                    record -> announcements.read(record).ifPresent(m -> latest.put(m.getCategory(), m)));
        }
        return latest;
    }
}
