package com.gladstream.worker.training;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Bounded reads of a whole topic with an assigned (group-less) consumer: up to end offsets taken beforehand. */
final class TopicScan {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TopicScan() {}

    /** Every partition of {@code topic}; a missing topic is an error naming it. */
    static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("the topic " + topic + " does not exist; create it (topics.create)");
        }
        return partitions;
    }

    /** Hands every record before {@code end} (from the consumer's positions) to {@code handler}. */
    static void readTo(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end,
            Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the topics " + end.keySet() + " could not be read within " + TIMEOUT);
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                    handler.accept(record);
                }
            }
        }
    }
}
