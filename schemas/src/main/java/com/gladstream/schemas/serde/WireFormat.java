package com.gladstream.schemas.serde;

import java.io.ByteArrayOutputStream;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's framing of a Kafka record key or value: magic byte 0, the writer schema's global id
 * as a 4-byte big-endian int, then the Avro binary encoding of the datum.
 */
public final class WireFormat {

    static final byte MAGIC_BYTE = 0;
    static final int HEADER_LENGTH = 5;

    private WireFormat() {}

    static void writeHeader(ByteArrayOutputStream out, int schemaId) {
        out.write(MAGIC_BYTE);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
    }

    /** The schema id in {@code payload}'s header, after checking the header is there at all. */
    public static int readSchemaId(byte[] payload, String topic) {
        if (payload.length < HEADER_LENGTH) {
            throw new SerializationException("record from topic " + topic + " has " + payload.length
                    + " bytes, fewer than the " + HEADER_LENGTH + "-byte Confluent header (magic byte + schema id)");
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "record from topic %s starts with byte 0x%02x, not the Confluent magic byte 0x00: "
                            + "it was not written by an Avro schema-registry serializer",
                    topic, payload[0]));
        }
        return ((payload[1] & 0xff) << 24) | ((payload[2] & 0xff) << 16) | ((payload[3] & 0xff) << 8)
                | (payload[4] & 0xff);
    }
}
