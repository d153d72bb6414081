package com.gladstream.worker.kafka;

/** The schema registry kept failing until the worker stopped: the record is left to be replayed, never dead-lettered. */
public final class RegistryUnavailableException extends RuntimeException {
    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
