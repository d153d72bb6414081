package com.gladstream.streams;

import java.time.Duration;

/** Waits that double from {@code initial} up to {@code max} between retries, until {@link #reset()}. */
final class Backoff {

    private final Duration initial;
    private final Duration max;
    private Duration next;

    Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** Sleeps for the current wait and doubles the next one. */
    synchronized Duration sleep() throws InterruptedException {
        Duration wait = next;
        next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
        Thread.sleep(wait.toMillis());
        return wait;
    }

    synchronized void reset() {
        next = initial;
    }
}
