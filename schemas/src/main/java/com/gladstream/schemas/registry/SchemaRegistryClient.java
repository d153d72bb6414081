package com.gladstream.schemas.registry;

import java.io.IOException;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The subset of the Confluent schema registry REST API the project needs. Implementations cache
 * what never changes (ids and the schemas behind them), so serializing and deserializing does no
 * network round trip after the first record of each schema.
 *
 * <p>Failures reported by the registry are {@link SchemaRegistryException}s carrying the HTTP
 * status and Confluent error code; an incompatible schema is an {@link IncompatibleSchemaException}.
 */
public interface SchemaRegistryClient {

    /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
    int register(String subject, Schema schema) throws IOException;

    /** The global id of {@code schema} already registered under {@code subject}. */
    int getId(String subject, Schema schema) throws IOException;

    /** The schema with global id {@code id}. */
    Schema getById(int id) throws IOException;

    /** The version numbers registered under {@code subject}, oldest first. */
    List<Integer> versions(String subject) throws IOException;

    /** Whether {@code schema} may be registered under {@code subject} given its compatibility level. */
    boolean isCompatible(String subject, Schema schema) throws IOException;
}
