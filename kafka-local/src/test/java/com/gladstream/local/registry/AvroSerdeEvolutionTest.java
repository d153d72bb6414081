package com.gladstream.local.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.gladstream.schemas.ImageEncoding;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.SampleLabel;
import com.gladstream.schemas.registry.HttpSchemaRegistryClient;
import com.gladstream.schemas.registry.SchemaRegistryClient;
import com.gladstream.schemas.serde.AvroSerdes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * BACKWARD evolution end to end through the serdes and the embedded registry: v2 is ImageEvent with
 * one optional field, and producers and consumers on either version read each other's records.
 */
class AvroSerdeEvolutionTest {

    private static final String TOPIC = "images";
    private static final Schema V2 = SchemaVariants.withExtraField(
            ImageEvent.getClassSchema(), "exposureMs", "[\"null\", \"long\"]", "null");

    private EmbeddedSchemaRegistry server;
    private SchemaRegistryClient registry;
    private Serde<ImageEvent> v1Serde;
    private Serde<GenericRecord> v2Serde;

    @BeforeEach
    void start() throws IOException {
        server = EmbeddedSchemaRegistry.inMemory();
        registry = new HttpSchemaRegistryClient(server.url());
        v1Serde = AvroSerdes.specific(ImageEvent.class, registry, true);
        v2Serde = AvroSerdes.generic(registry, V2, true, false);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void oldReaderReadsWhatTheNewWriterWrote() throws IOException {
        v1Serde.serializer().serialize(TOPIC, event());
        GenericRecord written = v2Record(event(), 125L);

        byte[] payload = v2Serde.serializer().serialize(TOPIC, written);
        ImageEvent read = v1Serde.deserializer().deserialize(TOPIC, payload);

        assertThat(registry.versions(TOPIC + "-value")).containsExactly(1, 2);
        assertThat(read).isEqualTo(event());
    }

    @Test
    void newReaderReadsWhatTheOldWriterWroteWithTheDefault() throws IOException {
        ImageEvent written = event();

        byte[] payload = v1Serde.serializer().serialize(TOPIC, written);
        GenericRecord read = v2Serde.deserializer().deserialize(TOPIC, payload);

        assertThat(read.getSchema()).isEqualTo(V2);
        assertThat(read.get("exposureMs")).isNull();
        assertThat(read.get("eventId")).hasToString(written.getEventId());
        assertThat(read.get("captureTime")).isEqualTo(written.getCaptureTime().toEpochMilli());
        assertThat(read.get("encoding")).hasToString(written.getEncoding().name());
        assertThat(read.get("width")).isEqualTo(written.getWidth());
    }

    @Test
    void newReaderSeesTheNewFieldFromTheNewWriter() {
        GenericRecord written = v2Record(event(), 125L);

        GenericRecord read = v2Serde.deserializer().deserialize(TOPIC, v2Serde.serializer().serialize(TOPIC, written));

        assertThat(read.get("exposureMs")).isEqualTo(written.get("exposureMs"));
    }

    private static ImageEvent event() {
        return ImageEvent.newBuilder()
                .setEventId("evt-1")
                .setCameraId("cam-3")
                .setCategory("hazelnut")
                .setCaptureTime(Instant.parse("2026-03-01T10:15:30.123Z").truncatedTo(ChronoUnit.MILLIS))
                .setImageBytes(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}))
                .setEncoding(ImageEncoding.PNG)
                .setWidth(32)
                .setHeight(16)
                .setLabel(SampleLabel.NORMAL)
                .setAttributes(Map.of("line", "2"))
                .build();
    }

    /** {@code event} as a v2 generic record, timestamps in their raw form as generic records carry them. */
    private static GenericRecord v2Record(ImageEvent event, long exposureMs) {
        GenericRecord v1 = (GenericRecord) GenericData.get().deepCopy(ImageEvent.getClassSchema(), event);
        GenericRecord v2 = new GenericData.Record(V2);
        ImageEvent.getClassSchema().getFields().forEach(f -> v2.put(f.name(), v1.get(f.pos())));
        v2.put("captureTime", event.getCaptureTime().toEpochMilli());
        v2.put("exposureMs", exposureMs);
        return v2;
    }
}
