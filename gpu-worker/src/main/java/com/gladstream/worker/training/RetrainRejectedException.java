package com.gladstream.worker.training;

/** A retrain stopped at one of its gates; the message is the RetrainFailed reason, and nothing was published. */
public final class RetrainRejectedException extends RuntimeException {

    public RetrainRejectedException(String reason) {
        super(reason);
    }

    public RetrainRejectedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
