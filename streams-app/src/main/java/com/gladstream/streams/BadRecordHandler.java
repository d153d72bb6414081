package com.gladstream.streams;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last line of defence behind the image router, which dead-letters bad images itself. A record
 * that cannot be deserialized or processed anywhere else (samples, results, models) is logged with
 * its topic-partition@offset, where it stays, and skipped, so one bad record never stops the
 * application. A schema registry outage is not the record's fault: the thread fails instead, is
 * replaced, and retries the record from the last commit.
 */
public final class BadRecordHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(BadRecordHandler.class);

    @Override
    public void configure(Map<String, ?> configs) {
        // Nothing to configure.
    }

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                                 Exception exception) {
        return skip(context, "deserialize", exception) ? DeserializationHandlerResponse.CONTINUE
                : DeserializationHandlerResponse.FAIL;
    }

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        return skip(context, "process", exception) ? ProcessingHandlerResponse.CONTINUE : ProcessingHandlerResponse.FAIL;
    }

    private static boolean skip(ErrorHandlerContext context, String action, Exception exception) {
        String where = context.topic() + "-" + context.partition() + "@" + context.offset();
        if (RegistryOutages.isOutage(exception)) {
            log.error("schema registry unavailable while trying to {} {}; failing the stream thread so the record"
                    + " is retried", action, where, exception);
            return false;
        }
        log.error("skipping record {} that could not {} at node {}: {}",
                where, action, context.processorNodeId(), exception.toString(), exception);
        return true;
    }
}
