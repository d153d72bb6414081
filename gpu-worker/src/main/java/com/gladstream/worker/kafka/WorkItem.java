package com.gladstream.worker.kafka;

import org.apache.kafka.common.TopicPartition;

/**
 * One request record taken from Kafka and not yet committed.
 *
 * @param epoch the partition's assignment epoch when the record was polled; an outcome from an
 *     older epoch (the partition was revoked or rewound meanwhile) is discarded, not produced
 * @param key the record key as produced (the category)
 * @param value the raw record value (Confluent wire format), kept so a dead letter loses nothing
 * @param polledAtMillis when the poll thread took it
 */
public record WorkItem(TopicPartition partition, long offset, int epoch, byte[] key, byte[] value, long polledAtMillis) {

    /** {@code topic-partition@offset}, as the streams app names a record's source. */
    public String source() {
        return partition + "@" + offset;
    }
}
