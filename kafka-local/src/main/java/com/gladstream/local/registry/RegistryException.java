package com.gladstream.local.registry;

/** A request the registry refuses, answered with Confluent's {@code error_code} and message. */
final class RegistryException extends Exception {

    private final int httpStatus;
    private final int errorCode;

    RegistryException(int httpStatus, int errorCode, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    int httpStatus() {
        return httpStatus;
    }

    int errorCode() {
        return errorCode;
    }

    static RegistryException subjectNotFound(String subject) {
        return new RegistryException(404, 40401, "Subject '" + subject + "' not found.");
    }

    static RegistryException versionNotFound(String subject, int version) {
        return new RegistryException(404, 40402, "Version " + version + " of subject '" + subject + "' not found.");
    }

    static RegistryException schemaNotFound(String what) {
        return new RegistryException(404, 40403, "Schema " + what + " not found.");
    }
}
