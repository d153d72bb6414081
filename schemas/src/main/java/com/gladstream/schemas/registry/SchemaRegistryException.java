package com.gladstream.schemas.registry;

import java.io.IOException;

/**
 * A call to the schema registry failed: it answered with an error (the HTTP status and Confluent
 * {@code error_code} are kept), could not be reached ({@link #UNREACHABLE}), or answered with
 * something that is not a registry answer. Only {@link #isUnknownSchema()} says anything about the
 * record being read; every other failure is about the registry, its address or its credentials.
 */
public class SchemaRegistryException extends IOException {

    /** The status of a call that got no HTTP answer (refused, reset, timed out, TLS failure). */
    public static final int UNREACHABLE = 0;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode) {
        this(message, httpStatus, errorCode, null);
    }

    public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /**
     * The registry answered that no schema has the requested id (HTTP 404, error code 40403): the
     * only answer that blames a record (it names an id that was never registered). A 404 with any
     * other code (a wrong base path, a proxy's page) is about the registry's address.
     */
    public boolean isUnknownSchema() {
        return httpStatus == 404 && errorCode == 40403;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent's error code, e.g. 40403 (schema not found), 409 (incompatible), 42201 (invalid schema). */
    public int errorCode() {
        return errorCode;
    }
}
