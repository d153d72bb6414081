package com.gladstream.streams.validation;

import com.gladstream.schemas.RejectReason;

/** An image event failed validation; the reason goes to the dead-letter record. */
public final class ImageRejectedException extends Exception {

    private final RejectReason reason;

    public ImageRejectedException(RejectReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
