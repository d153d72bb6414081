package com.gladstream.worker.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The records taken from Kafka and not yet committed, per partition, in offset order. Requests of
 * one partition finish out of order (several categories share a partition, batches interleave), so
 * only the contiguous prefix of finished records is ever handed out for commit: a record's outcome
 * is produced in the same transaction as the offset past it, never earlier, which is what makes a
 * crash replay exactly the records whose outcomes were not committed (docs/DESIGN.md, "Delivery").
 *
 * <p>Confined to the poll thread.
 */
final class OffsetLedger {

    /** Finished outcomes of one partition, ready to commit with the offset after them. */
    record Ready(List<Outcome> outcomes, OffsetAndMetadata next) {}

    private final Map<TopicPartition, TreeMap<Long, Outcome>> pending = new HashMap<>();
    private final Map<TopicPartition, Integer> epochs = new HashMap<>();
    private int size;

    /** Starts tracking a newly assigned partition (a fresh epoch: older outcomes for it are stale). */
    void assign(TopicPartition partition) {
        pending.put(partition, new TreeMap<>());
        epochs.merge(partition, 1, Integer::sum);
    }

    /** Stops tracking a partition; its unfinished and uncommitted records are forgotten (they will be replayed). */
    void drop(TopicPartition partition) {
        TreeMap<Long, Outcome> records = pending.remove(partition);
        if (records != null) {
            size -= records.size();
        }
        epochs.merge(partition, 1, Integer::sum);
    }

    WorkItem register(TopicPartition partition, long offset, byte[] key, byte[] value, long now) {
        TreeMap<Long, Outcome> records = pending.get(partition);
        if (records == null) {
            throw new IllegalStateException("record from unassigned partition " + partition);
        }
        records.put(offset, null);
        size++;
        return new WorkItem(partition, offset, epochs.get(partition), key, value, now);
    }

    /** Records an outcome; false when its partition was dropped or rewound since it was polled (then it is discarded). */
    boolean finish(Outcome outcome) {
        WorkItem item = outcome.item();
        TreeMap<Long, Outcome> records = pending.get(item.partition());
        if (records == null || !epochs.get(item.partition()).equals(item.epoch()) || !records.containsKey(item.offset())) {
            return false;
        }
        records.put(item.offset(), outcome);
        return true;
    }

    /** Removes and returns the finished prefix of each partition. */
    Map<TopicPartition, Ready> takeReady() {
        return takeReady(pending.keySet());
    }

    Map<TopicPartition, Ready> takeReady(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Ready> ready = new HashMap<>();
        for (TopicPartition partition : partitions) {
            TreeMap<Long, Outcome> records = pending.get(partition);
            if (records == null) {
                continue;
            }
            List<Outcome> prefix = new ArrayList<>();
            long last = -1;
            while (!records.isEmpty() && records.firstEntry().getValue() != null) {
                var first = records.pollFirstEntry();
                prefix.add(first.getValue());
                last = first.getKey();
            }
            if (!prefix.isEmpty()) {
                size -= prefix.size();
                ready.put(partition, new Ready(prefix, new OffsetAndMetadata(last + 1)));
            }
        }
        return ready;
    }

    /** Taken from Kafka and not yet committed (in flight, or finished behind an unfinished one). */
    int size() {
        return size;
    }

    /** The lowest uncommitted offset of a partition, or -1 when nothing of it is pending. */
    long firstPending(TopicPartition partition) {
        TreeMap<Long, Outcome> records = pending.get(partition);
        return records == null || records.isEmpty() ? -1 : records.firstKey();
    }

    Collection<TopicPartition> partitions() {
        return List.copyOf(pending.keySet());
    }
}
