package com.gladstream.glad;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh {@link NDManager} for every test, closed after it so that no native arrays outlive the
 * test that made them:
 *
 * <pre>{@code
 * @RegisterExtension
 * final NDManagerExtension manager = NDManagerExtension.pytorch();
 * ... manager.get().create(...) ...
 * }</pre>
 */
public final class NDManagerExtension implements BeforeEachCallback, AfterEachCallback {

    private final String engine;
    private NDManager manager;

    private NDManagerExtension(String engine) {
        this.engine = engine;
    }

    /** On the PyTorch engine, for code that needs PyTorch operators whatever the default engine is. */
    public static NDManagerExtension pytorch() {
        return new NDManagerExtension("PyTorch");
    }

    /** On DJL's default engine. */
    public static NDManagerExtension defaultEngine() {
        return new NDManagerExtension(null);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        manager = engine == null ? NDManager.newBaseManager() : NDManager.newBaseManager(engine);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (manager != null) {
            manager.close();
            manager = null;
        }
    }

    public NDManager get() {
        if (manager == null) {
            throw new IllegalStateException("the NDManager exists only while a test runs;"
                    + " register the extension on an instance field");
        }
        return manager;
    }
}
