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
 * The last line of defence behind the image router, which dead-letters bad images itself. An input
 * that cannot be deserialized or processed anywhere else (samples, results) is logged with its
 * topic-partition@offset, where it stays, and skipped: replaying it would fail again. A schema
 * registry outage ({@link RegistryOutages}) is not the record's fault: the thread fails instead,
 * is replaced, and retries the record from the last commit.
 *
 * <p>An output that cannot be written (serialized, or sent: too large, rejected by the broker) is
 * never skipped, whatever the cause: skipping it would commit the input's offset with neither its
 * output nor a dead letter written. The thread fails and the record is retried; a failure that
 * persists (an incompatible output schema, a topic whose {@code max.message.bytes} is below the
 * configured record cap) stops progress on that partition with the cause in the log, and loses
 * nothing.
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
        log.error("could not serialize the {} of an output for {} from {} ({}); failing the stream thread so the"
                        + " record is retried", origin.name().toLowerCase(Locale.ROOT), record.topic(), source(context),
                RegistryOutages.isOutage(exception) ? "schema registry unavailable" : "fix the cause below",
                exception);
        return ProductionExceptionHandlerResponse.FAIL;
    }

    @Override
    public ProductionExceptionHandlerResponse handle(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                                     Exception exception) {
        if (exception instanceof RecordTooLargeException) {
            int size = record.value() == null ? 0 : record.value().length;
            log.error("a {}-byte output for {} from {} is larger than the topic or producer allows: {}; raise the"
                    + " topic's max.message.bytes to the configured record cap", size, record.topic(), source(context),
                    exception.getMessage());
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
