package com.gladstream.streams;

import java.io.IOException;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.gladstream.local.registry.EmbeddedSchemaRegistry;

/**
 * One in-memory {@link EmbeddedSchemaRegistry} shared by the tests of a class, started before the
 * first and closed after the last:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SchemaRegistryExtension registry = new SchemaRegistryExtension();
 * ... new TopologyHarness(registry.url(), stateDir, settings) ...
 * }</pre>
 */
final class SchemaRegistryExtension implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedSchemaRegistry registry;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        registry = EmbeddedSchemaRegistry.inMemory();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (registry != null) {
            registry.close();
            registry = null;
        }
    }

    String url() {
        if (registry == null) {
            throw new IllegalStateException("the schema registry runs only between beforeAll and afterAll;"
                    + " register the extension on a static field");
        }
        return registry.url();
    }
}
