package com.gladstream.streams;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;

import com.gladstream.schemas.registry.SchemaRegistryException;

/**
 * Tells a bad record from a schema registry that cannot be reached. A registry that answers "no such
 * schema", or bytes that do not decode, mean the record is bad; a registry that does not answer
 * (connection refused or reset, timeout, unknown host) or answers with a server error says nothing
 * about the record, which must then be retried rather than dead-lettered or skipped.
 */
public final class RegistryOutages {

    private RegistryOutages() {}

    public static boolean isOutage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryException answered) {
                return answered.httpStatus() >= 500;
            }
            if (cause instanceof SocketException || cause instanceof SocketTimeoutException
                    || cause instanceof HttpTimeoutException || cause instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }
}
