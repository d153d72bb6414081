package com.gladstream.local.registry;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps entries in this JVM only: for tests and quick runs. A second registry started on the same
 * store sees what the first one stored, as after a restart.
 */
public final class InMemorySchemaStore implements SchemaStore {

    private final List<StoredEntry> entries = new ArrayList<>();

    @Override
    public synchronized List<StoredEntry> replay() {
        return List.copyOf(entries);
    }

    @Override
    public synchronized void append(StoredEntry entry) {
        entries.add(entry);
    }

    @Override
    public String describe() {
        return "in memory (schemas are lost when the registry stops)";
    }

    @Override
    public void close() {}
}
