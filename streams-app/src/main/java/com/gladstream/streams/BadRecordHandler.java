package com.gladstream.streams;

import java.util.Locale;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last line of defence behind the image router, which dead-letters bad images itself. A record
 * that cannot be deserialized, processed or serialized anywhere else (samples, results, models), or
 * an output too large for the broker, is logged with the source record's topic-partition@offset,
 * where it stays, and skipped: replaying it would fail again, so failing would stop the
 * application for good. A schema registry outage is not the record's fault: the thread fails
 * instead, is replaced, and retries the record from the last commit. Other send failures keep
 * Kafka Streams' default (fail, after the producer's own retries).
 */
public final class BadRecordHandler
        implements DeserializationExceptionHandler, ProcessingExceptionHandler, ProductionExceptionHandler {

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

    @Override
    public ProductionExceptionHandlerResponse handleSerializationException(
            ErrorHandlerContext context, ProducerRecord record, Exception exception, SerializationExceptionOrigin origin) {
        String action = "serialize the " + origin.name().toLowerCase(Locale.ROOT) + " for " + record.topic();
        return skip(context, action, exception) ? ProductionExceptionHandlerResponse.CONTINUE
                : ProductionExceptionHandlerResponse.FAIL;
    }

    @Override
    public ProductionExceptionHandlerResponse handle(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                                     Exception exception) {
        if (exception instanceof RecordTooLargeException) {
            int size = record.value() == null ? 0 : record.value().length;
            log.error("skipping a {}-byte record for {} produced from {}: {}",
                    size, record.topic(), source(context), exception.getMessage());
            return ProductionExceptionHandlerResponse.CONTINUE;
        }
        return ProductionExceptionHandlerResponse.FAIL;
    }

    private static boolean skip(ErrorHandlerContext context, String action, Exception exception) {
        if (RegistryOutages.isOutage(exception)) {
            log.error("schema registry unavailable while trying to {} {}; failing the stream thread so the record"
                    + " is retried", action, source(context), exception);
            return false;
        }
        log.error("skipping record {} that could not {} at node {}: {}",
                source(context), action, context.processorNodeId(), exception.toString(), exception);
        return true;
    }

    private static String source(ErrorHandlerContext context) {
        return context.topic() + "-" + context.partition() + "@" + context.offset();
    }
}
