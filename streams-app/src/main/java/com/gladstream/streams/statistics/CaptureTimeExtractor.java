package com.gladstream.streams.statistics;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

import com.gladstream.schemas.AnomalyResult;

/**
 * Places each result in the window of the moment its image was captured, not when inference
 * finished, so statistics describe the production line rather than the worker's backlog.
 */
public final class CaptureTimeExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof AnomalyResult result && result.getCaptureTime() != null) {
            return result.getCaptureTime().toEpochMilli();
        }
        return record.timestamp();
    }
}
