package com.gladstream.schemas.serde;

import com.gladstream.schemas.registry.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Kafka serdes for Avro records in the Confluent wire format, with subjects named by
 * {@link TopicNameStrategy}. Key or value is chosen here, not through {@code Serde.configure},
 * because Kafka Streams does not configure serdes passed to it as objects.
 */
public final class AvroSerdes {

    private AvroSerdes() {}

    /** A value serde for the generated class {@code type}. */
    public static <T extends SpecificRecord> Serde<T> specific(
            Class<T> type, SchemaRegistryClient registry, boolean autoRegister) {
        return specific(type, registry, autoRegister, false);
    }

    /**
     * A serde for the generated class {@code type}; records written with any compatible version of
     * its schema are read into {@code type}.
     */
    public static <T extends SpecificRecord> Serde<T> specific(
            Class<T> type, SchemaRegistryClient registry, boolean autoRegister, boolean isKey) {
        TrustedAvroPackages.trust(type);
        SpecificData model = SpecificData.getForClass(type);
        return Serdes.serdeFrom(
                new AvroSerializer<>(registry, autoRegister, isKey, model),
                new AvroDeserializer<>(registry, model.getSchema(type), model));
    }

    /** A serde for generic records, read with the schema they were written with. */
    public static Serde<GenericRecord> generic(SchemaRegistryClient registry, boolean autoRegister, boolean isKey) {
        return generic(registry, null, autoRegister, isKey);
    }

    /**
     * A serde for generic records, read into {@code readerSchema} (or, when it is null, the schema
     * they were written with). Logical types keep their raw Avro form (e.g. timestamps as longs).
     */
    public static Serde<GenericRecord> generic(
            SchemaRegistryClient registry, Schema readerSchema, boolean autoRegister, boolean isKey) {
        return Serdes.serdeFrom(
                new AvroSerializer<>(registry, autoRegister, isKey, GenericData.get()),
                new AvroDeserializer<>(registry, readerSchema, GenericData.get()));
    }
}
