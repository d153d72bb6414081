package com.gladstream.local.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;

/** Builds evolved versions of a record schema by editing its JSON, as a developer would edit the .avsc. */
final class SchemaVariants {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SchemaVariants() {}

    /**
     * {@code record} with one more field of JSON type {@code typeJson}; {@code defaultJson} is the
     * field's default as JSON, or null for a field without default.
     */
    static Schema withExtraField(Schema record, String name, String typeJson, String defaultJson) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(record.toString());
            ObjectNode field = ((ArrayNode) root.get("fields")).addObject();
            field.put("name", name);
            field.set("type", JSON.readTree(typeJson));
            if (defaultJson != null) {
                field.set("default", JSON.readTree(defaultJson));
            }
            return new Schema.Parser().parse(JSON.writeValueAsString(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
