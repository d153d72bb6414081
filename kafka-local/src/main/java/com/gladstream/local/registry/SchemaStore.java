package com.gladstream.local.registry;

import java.io.IOException;
import java.util.List;

/** Where the embedded registry keeps its schemas and settings so they outlive it. */
public interface SchemaStore extends AutoCloseable {

    /** Everything stored so far, oldest first. Called once, when the registry starts. */
    List<StoredEntry> replay() throws IOException;

    /**
     * Entries {@link #replay()} skipped because they could not be read, each with where it is and
     * why; a store whose entries are always readable has none.
     */
    default List<String> unreadableEntries() {
        return List.of();
    }

    /**
     * The highest schema id an unreadable entry still shows (0 for none): the registry never hands
     * it out again, since records written with it may exist and must not decode with another schema.
     */
    default int highestUnreadableId() {
        return 0;
    }

    /** Stores {@code entry} durably before returning; the registry answers only after that. */
    void append(StoredEntry entry) throws IOException;

    /** Where schemas are kept, for the operator: "in memory ...", "in Kafka topic ...". */
    String describe();

    @Override
    void close();
}
