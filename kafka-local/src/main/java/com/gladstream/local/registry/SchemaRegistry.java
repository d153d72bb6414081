package com.gladstream.local.registry;

import com.gladstream.local.registry.StoredEntry.CompatibilitySetting;
import com.gladstream.local.registry.StoredEntry.SchemaVersion;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.avro.Schema;

/**
 * The registry's rules, independent of HTTP: a subject is a list of versions, each pointing at a
 * schema by global id; the same schema gets the same id in every subject; a new version must be
 * compatible with the earlier ones under the subject's level. Every change is appended to the
 * {@link SchemaStore} before it takes effect, so a restarted registry replays to the same state.
 * One instance owns its store: concurrent registries on one store would hand out clashing ids.
 *
 * <p>Two locks: the state's monitor, held only for moments, and {@link #writes}, which orders
 * changes and is held while one is stored. Storing may wait on Kafka for many seconds; lookups
 * never wait for it, and a change that cannot start within {@link #WRITE_WAIT} is answered 503.
 * A stored entry that cannot be applied (a schema that no longer parses) is skipped and listed in
 * {@link #skippedEntries()}, so one bad entry does not keep the registry from starting; its id, if
 * it shows one, is never handed out again.
 */
final class SchemaRegistry {

    static final CompatibilityLevel DEFAULT_LEVEL = CompatibilityLevel.BACKWARD;

    private final SchemaStore store;
    private final Map<String, NavigableMap<Integer, SchemaVersion>> versionsBySubject = new TreeMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByCanonicalSchema = new HashMap<>();
    private final Map<String, CompatibilityLevel> levelsBySubject = new HashMap<>();
    private CompatibilityLevel globalLevel = DEFAULT_LEVEL;
    private int highestId;
    private final List<String> skippedEntries = new ArrayList<>();

    static final Duration WRITE_WAIT = Duration.ofSeconds(5);
    private final ReentrantLock writes = new ReentrantLock(true);

    SchemaRegistry(SchemaStore store) throws IOException {
        this.store = store;
        for (StoredEntry entry : store.replay()) {
            try {
                apply(entry);
            } catch (RuntimeException e) {
                skippedEntries.add(entry.key() + ": " + e.getMessage());
                if (entry instanceof SchemaVersion version) {
                    highestId = Math.max(highestId, version.id());
                }
            }
        }
        skippedEntries.addAll(store.unreadableEntries());
        // An id a skipped entry held may be in records already: never give it to another schema.
        highestId = Math.max(highestId, store.highestUnreadableId());
    }

    /** Stored entries ignored at start because they could not be read or applied, each with why. */
    synchronized List<String> skippedEntries() {
        return List.copyOf(skippedEntries);
    }

    SchemaVersion register(String subject, String schemaText) throws RegistryException, IOException {
        Schema schema = parse(schemaText);
        String canonical = schema.toString();
        return write(() -> {
            SchemaVersion entry;
            synchronized (this) {
                NavigableMap<Integer, SchemaVersion> versions =
                        versionsBySubject.getOrDefault(subject, Collections.emptyNavigableMap());
                Optional<SchemaVersion> already = find(versions, canonical);
                if (already.isPresent()) {
                    return already.get();
                }
                List<String> violations = level(subject).violations(schema, schemasOf(versions));
                if (!violations.isEmpty()) {
                    throw new RegistryException(409, 409, "Schema being registered is incompatible with an earlier"
                            + " schema for subject \"" + subject + "\" (compatibility " + level(subject)
                            + "), details: " + violations);
                }
                int id = idsByCanonicalSchema.getOrDefault(canonical, highestId + 1);
                int version = versions.isEmpty() ? 1 : versions.lastKey() + 1;
                entry = new SchemaVersion(subject, version, id, canonical);
            }
            store(entry);
            return entry;
        });
    }

    @FunctionalInterface
    private interface Change<T> {
        T make() throws RegistryException, IOException;
    }

    /** Runs {@code change} holding {@link #writes}: the state it read stays current until it is stored. */
    private <T> T write(Change<T> change) throws RegistryException, IOException {
        try {
            if (!writes.tryLock(WRITE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new RegistryException(503, 50002, "The registry is still storing an earlier change;"
                        + " try again (waited " + WRITE_WAIT.toSeconds() + " s)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to store a change");
        }
        try {
            return change.make();
        } finally {
            writes.unlock();
        }
    }

    /** Appends {@code entry} to the store without holding the state's monitor, then applies it. */
    private void store(StoredEntry entry) throws IOException {
        store.append(entry);
        synchronized (this) {
            apply(entry);
        }
    }

    synchronized SchemaVersion lookup(String subject, String schemaText) throws RegistryException {
        String canonical = parse(schemaText).toString();
        return find(existingVersions(subject), canonical)
                .orElseThrow(() -> RegistryException.schemaNotFound("under subject '" + subject + "'"));
    }

    synchronized List<String> subjects() {
        return List.copyOf(versionsBySubject.keySet());
    }

    synchronized List<Integer> versions(String subject) throws RegistryException {
        return List.copyOf(existingVersions(subject).keySet());
    }

    /** @param version a version number or {@code latest} */
    synchronized SchemaVersion version(String subject, String version) throws RegistryException {
        NavigableMap<Integer, SchemaVersion> versions = existingVersions(subject);
        if (isLatest(version)) {
            return versions.lastEntry().getValue();
        }
        int number = parseVersion(version);
        SchemaVersion found = versions.get(number);
        if (found == null) {
            throw RegistryException.versionNotFound(subject, number);
        }
        return found;
    }

    synchronized String schema(int id) throws RegistryException {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw RegistryException.schemaNotFound("with id " + id);
        }
        return schema.toString();
    }

    /**
     * Why {@code schemaText} could not be registered after {@code version} of {@code subject}; empty
     * when it could. Against {@code latest} of a subject with no versions, anything is compatible.
     */
    synchronized List<String> compatibilityViolations(String subject, String version, String schemaText)
            throws RegistryException {
        Schema candidate = parse(schemaText);
        NavigableMap<Integer, Schema> against;
        if (isLatest(version)) {
            against = schemasOf(versionsBySubject.getOrDefault(subject, Collections.emptyNavigableMap()));
        } else {
            SchemaVersion one = version(subject, version);
            against = new TreeMap<>(Map.of(one.version(), schemasById.get(one.id())));
        }
        return level(subject).violations(candidate, against);
    }

    synchronized CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(levelsBySubject.get(subject));
    }

    /** @param subject the subject to configure, or null for the global level */
    void setLevel(String subject, CompatibilityLevel level) throws RegistryException, IOException {
        write(() -> {
            store(new CompatibilitySetting(subject, level));
            return null;
        });
    }

    private void apply(StoredEntry entry) {
        if (entry instanceof SchemaVersion version) {
            Schema schema = new Schema.Parser().parse(version.schema());
            versionsBySubject.computeIfAbsent(version.subject(), s -> new TreeMap<>()).put(version.version(), version);
            schemasById.put(version.id(), schema);
            idsByCanonicalSchema.put(version.schema(), version.id());
            highestId = Math.max(highestId, version.id());
        } else if (entry instanceof CompatibilitySetting setting) {
            if (setting.subject() == null) {
                globalLevel = setting.level();
            } else {
                levelsBySubject.put(setting.subject(), setting.level());
            }
        }
    }

    private CompatibilityLevel level(String subject) {
        return levelsBySubject.getOrDefault(subject, globalLevel);
    }

    private NavigableMap<Integer, SchemaVersion> existingVersions(String subject) throws RegistryException {
        NavigableMap<Integer, SchemaVersion> versions = versionsBySubject.get(subject);
        if (versions == null) {
            throw RegistryException.subjectNotFound(subject);
        }
        return versions;
    }

    private NavigableMap<Integer, Schema> schemasOf(NavigableMap<Integer, SchemaVersion> versions) {
        NavigableMap<Integer, Schema> schemas = new TreeMap<>();
        versions.forEach((number, version) -> schemas.put(number, schemasById.get(version.id())));
        return schemas;
    }

    private static Optional<SchemaVersion> find(NavigableMap<Integer, SchemaVersion> versions, String canonical) {
        return versions.values().stream().filter(v -> v.schema().equals(canonical)).findFirst();
    }

    private static boolean isLatest(String version) {
        return "latest".equals(version) || "-1".equals(version);
    }

    private static int parseVersion(String version) throws RegistryException {
        try {
            int number = Integer.parseInt(version);
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // Same answer as an out-of-range number.
        }
        throw new RegistryException(422, 42202, "The specified version '" + version + "' is not a valid version id."
                + " Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    private static Schema parse(String schemaText) throws RegistryException {
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (RuntimeException e) { // SchemaParseException, and AvroRuntimeException for bad defaults
            throw new RegistryException(422, 42201, "Invalid schema: " + e.getMessage());
        }
    }
}
