package com.gladstream.schemas.claimcheck;

import java.io.IOException;

/** The bytes behind a claim-check URI exceed the byte cap; they were not buffered whole. */
public final class PayloadTooLargeException extends IOException {
    public PayloadTooLargeException(String message) {
        super(message);
    }
}
