package com.gladstream.schemas.serde;

import com.gladstream.schemas.registry.SchemaRegistryClient;
import com.gladstream.schemas.registry.SchemaRegistryException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/** A registry without HTTP or compatibility rules, for testing the serde on its own. */
final class InMemoryRegistryClient implements SchemaRegistryClient {

    private final Map<String, List<Schema>> subjects = new HashMap<>();
    private final Map<Schema, Integer> ids = new HashMap<>();
    private final Map<Integer, Schema> schemas = new HashMap<>();
    private int nextId;

    /** @param firstId the id the first schema gets; pick one with several non-zero bytes to see byte order */
    InMemoryRegistryClient(int firstId) {
        this.nextId = firstId;
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Schema> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(schema)) {
            versions.add(schema);
        }
        return ids.computeIfAbsent(schema, s -> {
            schemas.put(nextId, s);
            return nextId++;
        });
    }

    @Override
    public synchronized int getId(String subject, Schema schema) throws SchemaRegistryException {
        if (!subjects.getOrDefault(subject, List.of()).contains(schema)) {
            throw new SchemaRegistryException("schema not registered under " + subject, 404, 40403);
        }
        return ids.get(schema);
    }

    @Override
    public synchronized Schema getById(int id) throws SchemaRegistryException {
        Schema schema = schemas.get(id);
        if (schema == null) {
            throw new SchemaRegistryException("Schema " + id + " not found", 404, 40403);
        }
        return schema;
    }

    @Override
    public synchronized List<Integer> versions(String subject) {
        List<Integer> versions = new ArrayList<>();
        for (int v = 1; v <= subjects.getOrDefault(subject, List.of()).size(); v++) {
            versions.add(v);
        }
        return versions;
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return true;
    }
}
