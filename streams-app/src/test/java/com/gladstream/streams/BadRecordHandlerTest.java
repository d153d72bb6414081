package com.gladstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;

import javax.net.ssl.SSLHandshakeException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.DeserializationHandlerResponse;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.ProcessingHandlerResponse;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.ProductionExceptionHandlerResponse;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.SerializationExceptionOrigin;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.gladstream.schemas.registry.SchemaRegistryException;

class BadRecordHandlerTest {

    private final BadRecordHandler handler = new BadRecordHandler();
    private final ConsumerRecord<byte[], byte[]> consumed = new ConsumerRecord<>("glad.results", 0, 42, null, new byte[3]);
    private final ProducerRecord<byte[], byte[]> produced = new ProducerRecord<>("glad.requests", new byte[10]);

    @Test
    void badInputsAreSkipped() {
        SerializationException unknownSchema = new SerializationException("unknown schema id 7",
                new SchemaRegistryException("not found", 404, 40403));

        assertThat(handler.handle(CONTEXT, consumed, unknownSchema)).isEqualTo(DeserializationHandlerResponse.CONTINUE);
        assertThat(handler.handle(CONTEXT, consumed, new SerializationException("bytes left over")))
                .isEqualTo(DeserializationHandlerResponse.CONTINUE);
        assertThat(handler.handle(CONTEXT, new Record<>("k", "v", 0L), new IllegalStateException("bug")))
                .isEqualTo(ProcessingHandlerResponse.CONTINUE);
    }

    @Test
    void anOutputThatCannotBeWrittenIsNeverSkipped() {
        SerializationException incompatible = new SerializationException("could not register",
                new SchemaRegistryException("incompatible", 409, 409));

        assertThat(handler.handleSerializationException(CONTEXT, produced, incompatible, SerializationExceptionOrigin.VALUE))
                .isEqualTo(ProductionExceptionHandlerResponse.FAIL);
        assertThat(handler.handleSerializationException(CONTEXT, produced, new SerializationException("bad"),
                SerializationExceptionOrigin.VALUE)).isEqualTo(ProductionExceptionHandlerResponse.FAIL);
        assertThat(handler.handle(CONTEXT, produced, new RecordTooLargeException("too big")))
                .isEqualTo(ProductionExceptionHandlerResponse.FAIL);
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403, 404, 429, 500, 503})
    void aRegistryErrorThatIsNotAnUnknownIdIsAnOutage(int status) {
        SerializationException failure = new SerializationException("could not fetch schema id 7",
                new SchemaRegistryException("HTTP " + status, status, status));
        assertThat(handler.handle(CONTEXT, consumed, failure)).isEqualTo(DeserializationHandlerResponse.FAIL);
        assertThat(RegistryOutages.isOutage(failure)).isTrue();
    }

    @Test
    void aTlsFailureOrAnAnswerThatIsNotTheRegistrysIsAnOutage() {
        assertThat(RegistryOutages.isOutage(new SerializationException("x", new SchemaRegistryException(
                "unreachable", SchemaRegistryException.UNREACHABLE, 0, new SSLHandshakeException("bad certificate")))))
                .isTrue();
        assertThat(RegistryOutages.isOutage(new SerializationException("x", new SSLHandshakeException("bad")))).isTrue();
        assertThat(RegistryOutages.isOutage(new SerializationException("x",
                new SchemaRegistryException("a body that is not JSON", 200, 200)))).isTrue();
        assertThat(RegistryOutages.isOutage(new SerializationException("x",
                new SchemaRegistryException("not found", 404, 40403)))).isFalse();
    }

    @Test
    void registryOutagesFailTheThreadSoTheRecordIsRetried() {
        SerializationException refused = new SerializationException("could not fetch schema id 7",
                new IOException("schema registry unreachable", new ConnectException("Connection refused")));
        SerializationException serverError = new SerializationException("could not fetch schema id 7",
                new SchemaRegistryException("internal error", 503, 50003));

        assertThat(handler.handle(CONTEXT, consumed, refused)).isEqualTo(DeserializationHandlerResponse.FAIL);
        assertThat(handler.handle(CONTEXT, consumed, serverError)).isEqualTo(DeserializationHandlerResponse.FAIL);
        assertThat(handler.handle(CONTEXT, new Record<>("k", "v", 0L), refused)).isEqualTo(ProcessingHandlerResponse.FAIL);
        assertThat(handler.handleSerializationException(CONTEXT, produced, refused, SerializationExceptionOrigin.VALUE))
                .isEqualTo(ProductionExceptionHandlerResponse.FAIL);
    }

    @Test
    void otherSendFailuresKeepTheDefaultOfFailing() {
        assertThat(handler.handle(CONTEXT, produced, new TimeoutException("broker gone")))
                .isEqualTo(ProductionExceptionHandlerResponse.FAIL);
    }

    private static final ErrorHandlerContext CONTEXT = new ErrorHandlerContext() {
        @Override
        public String topic() {
            return "glad.results";
        }

        @Override
        public int partition() {
            return 0;
        }

        @Override
        public long offset() {
            return 42;
        }

        @Override
        public Headers headers() {
            return new RecordHeaders();
        }

        @Override
        public String processorNodeId() {
            return "results";
        }

        @Override
        public TaskId taskId() {
            return new TaskId(0, 0);
        }

        @Override
        public long timestamp() {
            return 0;
        }

        @Override
        public byte[] sourceRawKey() {
            return null;
        }

        @Override
        public byte[] sourceRawValue() {
            return null;
        }
    };
}
