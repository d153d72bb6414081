package com.gladstream.schemas.registry;

/** The registry refused a schema (HTTP 409) because it breaks the subject's compatibility level. */
public final class IncompatibleSchemaException extends SchemaRegistryException {

    public IncompatibleSchemaException(String message, int errorCode) {
        super(message, 409, errorCode);
    }
}
