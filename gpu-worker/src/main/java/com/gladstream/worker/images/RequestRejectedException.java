package com.gladstream.worker.images;

import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.RejectReason;

/** A request that cannot be inferred on, with the dead-letter reason. */
public final class RequestRejectedException extends RuntimeException {

    private final RejectReason reason;
    private final transient ImageEvent image;

    public RequestRejectedException(RejectReason reason, ImageEvent image, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.image = image;
    }

    public RejectReason reason() {
        return reason;
    }

    /** The image event, or null when the record itself did not decode. */
    public ImageEvent image() {
        return image;
    }
}
