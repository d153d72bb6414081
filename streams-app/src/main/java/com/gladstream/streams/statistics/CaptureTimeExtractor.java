package com.gladstream.streams.statistics;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

import com.gladstream.schemas.AnomalyResult;

/**
 * Places each result in the window of the moment its image was captured, not when inference
 * finished, so statistics describe the production line rather than the worker's backlog.
 *
 * <p>An image cannot be captured after its result was written, so a capture time later than the
 * result record's own timestamp (the broker's append time on a topic made by {@code TopicSetup})
 * is clamped to it: stream time only moves forward, and one frame stamped a day ahead would
 * otherwise close every open window and make every other camera's results late. The router has
 * dead-lettered frames far ahead ({@code CLOCK_SKEW}); this bounds what is left, a camera clock a
 * little ahead, to the result's own time.
 */
public final class CaptureTimeExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof AnomalyResult result && result.getCaptureTime() != null) {
            long captured = result.getCaptureTime().toEpochMilli();
            return record.timestamp() < 0 ? captured : Math.min(captured, record.timestamp());
        }
        return record.timestamp();
    }
}
