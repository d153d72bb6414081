package com.gladstream.streams;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;

import javax.net.ssl.SSLException;

import com.gladstream.schemas.registry.SchemaRegistryException;

/**
 * Tells a bad record from a schema registry that cannot serve it. Only the registry's answer "no
 * schema has this id" (404, error code 40403) and bytes that do not decode blame the record. Any
 * other registry failure is an outage, whatever its status: unreachable, TLS failure, timeout,
 * 5xx, 401/403 (credentials), 429 (rate limit), a 404 without 40403 (a wrong base path), an answer
 * that is not the registry's. An outage says nothing about the record, which must be retried,
 * never dead-lettered or skipped.
 */
public final class RegistryOutages {

    private RegistryOutages() {}

    public static boolean isOutage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryException registry) {
                return !registry.isUnknownSchema();
            }
            if (cause instanceof SocketException || cause instanceof SocketTimeoutException
                    || cause instanceof HttpTimeoutException || cause instanceof UnknownHostException
                    || cause instanceof SSLException) {
                return true;
            }
        }
        return false;
    }
}
