package com.gladstream.schemas.serde;

import com.gladstream.schemas.registry.SchemaRegistryClient;
import com.gladstream.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format records: fetches the writer schema by the id in the header and
 * resolves it against the reader schema, so records written with an older or newer compatible
 * schema decode into the reader's shape. Every malformed payload is a {@link SerializationException}
 * naming the topic and what is wrong, never a partially decoded record.
 */
public final class AvroDeserializer<T> implements Deserializer<T> {

    private final SchemaRegistryClient registry;
    private final Schema readerSchema;
    private final GenericData model;
    private final Map<Integer, DatumReader<T>> readersBySchemaId = new ConcurrentHashMap<>();

    /** @param readerSchema the schema to decode into, or null to decode with each record's writer schema */
    AvroDeserializer(SchemaRegistryClient registry, Schema readerSchema, GenericData model) {
        this.registry = registry;
        this.readerSchema = readerSchema;
        this.model = model;
    }

    @Override
    public T deserialize(String topic, byte[] payload) {
        if (payload == null) {
            return null;
        }
        int schemaId = WireFormat.readSchemaId(payload, topic);
        DatumReader<T> reader = reader(topic, schemaId);
        BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(payload, WireFormat.HEADER_LENGTH, payload.length - WireFormat.HEADER_LENGTH, null);
        try {
            T record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new IOException("bytes left over after the record");
            }
            return record;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("could not decode the Avro body of a " + payload.length
                    + "-byte record from topic " + topic + " with schema id " + schemaId + ": " + e, e);
        }
    }

    private DatumReader<T> reader(String topic, int schemaId) {
        DatumReader<T> cached = readersBySchemaId.get(schemaId);
        if (cached != null) {
            return cached;
        }
        Schema writerSchema;
        try {
            writerSchema = registry.getById(schemaId);
        } catch (SchemaRegistryException e) {
            String what = e.httpStatus() == 404 ? "unknown schema id " : "could not fetch schema id ";
            throw new SerializationException("record from topic " + topic + ": " + what + schemaId + ": "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new SerializationException("record from topic " + topic + ": could not fetch schema id "
                    + schemaId + ": " + e.getMessage(), e);
        }
        @SuppressWarnings("unchecked")
        DatumReader<T> reader = (DatumReader<T>) model.createDatumReader(
                writerSchema, readerSchema == null ? writerSchema : readerSchema);
        readersBySchemaId.put(schemaId, reader);
        return reader;
    }
}
