package com.gladstream.schemas.serde;

import com.gladstream.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records in the Confluent wire format, registering (or looking up) the record's schema
 * under the topic's subject. Thread-safe: the registry client caches ids, writers are cached per schema.
 */
public final class AvroSerializer<T extends IndexedRecord> implements Serializer<T> {

    private final SchemaRegistryClient registry;
    private final boolean autoRegister;
    private final boolean isKey;
    private final GenericData model;
    private final Map<Schema, DatumWriter<T>> writers = new ConcurrentHashMap<>();

    /**
     * @param model {@code SpecificData} of the generated class, or {@code GenericData.get()}
     * @param autoRegister register unknown schemas; when false the schema must already be registered
     */
    AvroSerializer(SchemaRegistryClient registry, boolean autoRegister, boolean isKey, GenericData model) {
        this.registry = registry;
        this.autoRegister = autoRegister;
        this.isKey = isKey;
        this.model = model;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        Schema schema = record.getSchema();
        int schemaId = schemaId(topic, schema);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        WireFormat.writeHeader(out, schemaId);
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer(schema).write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("could not encode " + schema.getFullName() + " for topic " + topic
                    + " with schema id " + schemaId + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private int schemaId(String topic, Schema schema) {
        String subject = TopicNameStrategy.subject(topic, isKey);
        try {
            return autoRegister ? registry.register(subject, schema) : registry.getId(subject, schema);
        } catch (IOException e) {
            throw new SerializationException("could not " + (autoRegister ? "register" : "look up") + " schema "
                    + schema.getFullName() + " under subject " + subject + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private DatumWriter<T> writer(Schema schema) {
        return writers.computeIfAbsent(schema, s -> (DatumWriter<T>) model.createDatumWriter(s));
    }
}
