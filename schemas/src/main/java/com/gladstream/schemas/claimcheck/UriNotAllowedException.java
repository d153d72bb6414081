package com.gladstream.schemas.claimcheck;

/** A claim-check URI that {@link ImageUriPolicy} refuses; the message says which and why. */
public final class UriNotAllowedException extends RuntimeException {
    public UriNotAllowedException(String message) {
        super(message);
    }
}
