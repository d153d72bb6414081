package com.gladstream.local.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Confluent's compatibility levels. BACKWARD: consumers on the new schema read data written with
 * the old one. FORWARD: consumers still on the old schema read data written with the new one.
 * FULL: both. The non-transitive forms check against the latest version only.
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    static CompatibilityLevel parse(String name) throws RegistryException {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new RegistryException(422, 42203, "Invalid compatibility level '" + name + "'. Valid values are "
                    + List.of(values()) + ".");
        }
    }

    /**
     * Why {@code candidate} may not follow {@code existingByVersion}; empty when it may. The
     * transitive forms check every given version, the others only the latest.
     */
    List<String> violations(Schema candidate, NavigableMap<Integer, Schema> existingByVersion) {
        List<String> violations = new ArrayList<>();
        Map<Integer, Schema> checked = transitive || existingByVersion.isEmpty()
                ? existingByVersion
                : Map.ofEntries(existingByVersion.lastEntry());
        checked.forEach((version, previous) -> {
            if (backward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, previous),
                        "the new schema cannot read data written with version " + version, violations);
            }
            if (forward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(previous, candidate),
                        "version " + version + " cannot read data written with the new schema", violations);
            }
        });
        return violations;
    }

    private static void describe(SchemaCompatibility.SchemaPairCompatibility pair, String direction, List<String> out) {
        for (Incompatibility incompatibility : pair.getResult().getIncompatibilities()) {
            out.add(direction + ": " + incompatibility.getType() + " at " + incompatibility.getLocation() + ": "
                    + incompatibility.getMessage());
        }
    }
}
