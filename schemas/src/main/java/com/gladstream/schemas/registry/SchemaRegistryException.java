package com.gladstream.schemas.registry;

import java.io.IOException;

/** The registry answered with an error: the HTTP status and Confluent {@code error_code} are kept. */
public class SchemaRegistryException extends IOException {

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent's error code, e.g. 40403 (schema not found), 409 (incompatible), 42201 (invalid schema). */
    public int errorCode() {
        return errorCode;
    }
}
