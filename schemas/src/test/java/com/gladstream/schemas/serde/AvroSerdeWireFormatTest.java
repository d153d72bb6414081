package com.gladstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gladstream.schemas.ImageEncoding;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.SampleLabel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class AvroSerdeWireFormatTest {

    private static final String TOPIC = "images";
    private static final int FIRST_ID = 0x0A0B0C0D;

    private final InMemoryRegistryClient registry = new InMemoryRegistryClient(FIRST_ID);
    private final Serde<ImageEvent> serde = AvroSerdes.specific(ImageEvent.class, registry, true);

    static ImageEvent imageEvent() {
        return ImageEvent.newBuilder()
                .setEventId("evt-42")
                .setCameraId("cam-7")
                .setCategory("bottle")
                .setCaptureTime(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setImageBytes(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3}))
                .setEncoding(ImageEncoding.PNG)
                .setWidth(64)
                .setHeight(48)
                .setLabel(SampleLabel.NORMAL)
                .setAttributes(Map.of("line", "3"))
                .build();
    }

    @Test
    void writesMagicByteThenBigEndianSchemaIdThenAvroBinary() throws Exception {
        ImageEvent event = imageEvent();

        byte[] payload = serde.serializer().serialize(TOPIC, event);

        int registeredId = registry.getId("images-value", ImageEvent.getClassSchema());
        ByteArrayOutputStream expectedBody = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(expectedBody, null);
        new SpecificDatumWriter<>(ImageEvent.class).write(event, encoder);
        encoder.flush();
        assertThat(payload[0]).isZero();
        assertThat(Arrays.copyOfRange(payload, 1, 5)).containsExactly(ByteBuffer.allocate(4).putInt(registeredId).array());
        assertThat(Arrays.copyOfRange(payload, 5, payload.length)).containsExactly(expectedBody.toByteArray());
        assertThat(serde.deserializer().deserialize(TOPIC, payload)).isEqualTo(event);
    }

    @Test
    void keySerdeRegistersUnderTheKeySubject() {
        Serde<ImageEvent> keySerde = AvroSerdes.specific(ImageEvent.class, registry, true, true);

        keySerde.serializer().serialize(TOPIC, imageEvent());

        assertThat(registry.versions("images-key")).hasSize(1);
        assertThat(registry.versions("images-value")).isEmpty();
    }

    @Test
    void withoutAutoRegisterAnUnregisteredSchemaIsASerializationError() {
        Serde<ImageEvent> lookupOnly = AvroSerdes.specific(ImageEvent.class, registry, false);

        assertThatThrownBy(() -> lookupOnly.serializer().serialize(TOPIC, imageEvent()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("look up")
                .hasMessageContaining("images-value");
    }

    @Test
    void nullStaysNullBothWays() {
        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    }

    @Test
    void genericRecordsDecodeIntoTheGeneratedClass() {
        ImageEvent event = imageEvent();
        GenericRecord generic = (GenericRecord) GenericData.get().deepCopy(ImageEvent.getClassSchema(), event);
        // Generic records carry logical types in their raw form.
        generic.put("captureTime", event.getCaptureTime().toEpochMilli());

        byte[] payload = AvroSerdes.generic(registry, true, false).serializer().serialize(TOPIC, generic);

        assertThat(serde.deserializer().deserialize(TOPIC, payload)).isEqualTo(event);
        assertThat(AvroSerdes.generic(registry, true, false).deserializer().deserialize(TOPIC, payload).get("cameraId"))
                .hasToString(event.getCameraId());
    }

    @Test
    void rejectsEmptyAndShortPayloads() {
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[0]))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("0 bytes");
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("3 bytes");
    }

    @Test
    void rejectsAWrongMagicByte() {
        byte[] payload = serde.serializer().serialize(TOPIC, imageEvent());
        payload[0] = 1;

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, payload))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("0x01")
                .hasMessageContaining("magic byte");
    }

    @Test
    void rejectsAnUnknownSchemaId() {
        byte[] payload = serde.serializer().serialize(TOPIC, imageEvent());
        int unknownId = FIRST_ID - 1;
        ByteBuffer.wrap(payload).putInt(1, unknownId);

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, payload))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown schema id " + unknownId);
    }

    @Test
    void rejectsATruncatedBody() {
        byte[] payload = serde.serializer().serialize(TOPIC, imageEvent());
        byte[] truncated = Arrays.copyOf(payload, payload.length - 4);

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("could not decode")
                .hasMessageContaining("topic " + TOPIC);
    }

    @Test
    void rejectsBytesLeftOverAfterTheRecord() {
        byte[] payload = serde.serializer().serialize(TOPIC, imageEvent());
        byte[] padded = Arrays.copyOf(payload, payload.length + 2);

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, padded))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("left over");
    }
}
