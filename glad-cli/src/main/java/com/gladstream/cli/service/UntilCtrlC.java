package com.gladstream.cli.service;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;

/**
 * The "run until Ctrl-C" part of the service commands: a JVM shutdown hook (Ctrl-C, SIGTERM) stops
 * the service, and the command's thread waits for that so it returns only once the service is closed.
 */
final class UntilCtrlC {

    private final CountDownLatch stopped = new CountDownLatch(1);

    private UntilCtrlC() {
    }

    /** Registers {@code stop} to run at JVM shutdown, on a thread named {@code threadName}. */
    static UntilCtrlC stopWith(Runnable stop, String threadName) {
        UntilCtrlC until = new UntilCtrlC();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            until.stopped.countDown();
        }, threadName));
        return until;
    }

    /** Prints what is now running and how to stop it. */
    static void announce(PrintWriter out, String running) {
        out.println(running);
        out.println("press Ctrl-C to stop");
        out.flush();
    }

    /** Blocks until the shutdown hook has stopped the service. */
    void await() throws InterruptedException {
        stopped.await();
    }
}
