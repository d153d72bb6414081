package com.gladstream.local.registry;

/**
 * What the registry persists: each registered schema version and each compatibility setting.
 * Replaying the entries in order rebuilds the registry; an entry with the same {@link #key()} as an
 * earlier one replaces it, which is what lets a compacted topic keep only the latest of each.
 */
public sealed interface StoredEntry permits StoredEntry.SchemaVersion, StoredEntry.CompatibilitySetting {

    /** Identifies what this entry is about; later entries with the same key supersede earlier ones. */
    String key();

    /** Version {@code version} of {@code subject} is the schema with global id {@code id}. */
    record SchemaVersion(String subject, int version, int id, String schema) implements StoredEntry {
        @Override
        public String key() {
            return "schema/" + subject + "/" + version;
        }
    }

    /** The compatibility level of {@code subject}, or the global level when {@code subject} is null. */
    record CompatibilitySetting(String subject, CompatibilityLevel level) implements StoredEntry {
        @Override
        public String key() {
            return subject == null ? "config" : "config/" + subject;
        }
    }
}
