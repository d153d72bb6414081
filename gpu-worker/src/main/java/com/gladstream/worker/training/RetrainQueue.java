package com.gladstream.worker.training;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Runs retrains one at a time on its own thread ({@code glad-retrain}), so training never takes
 * more than that thread from the process, and coalesces requests per category: requests that arrive
 * while the category's run waits to start join that run; a request during a run queues one more run,
 * which every later request joins. So a category has at most one run going and one waiting, however
 * many requests arrive, and the queue is bounded by the number of categories.
 *
 * @param <R> a request
 */
public final class RetrainQueue<R> implements AutoCloseable {

    /** What became of a submitted request. */
    public enum Admission {
        /** a new run will start with it */
        STARTED,
        /** it queued a run for after the category's current one */
        QUEUED,
        /** it joined a run that has not started yet */
        COALESCED
    }

    private final ExecutorService executor;
    private final BiConsumer<String, List<R>> run;
    private final Map<String, List<R>> waiting = new HashMap<>();
    private final Map<String, Boolean> running = new HashMap<>();

    /** @param run trains one category for the requests it was given (in arrival order); runs on the queue's thread */
    public RetrainQueue(BiConsumer<String, List<R>> run) {
        this.run = run;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "glad-retrain");
            t.setDaemon(true);
            return t;
        });
    }

    public synchronized Admission submit(String category, R request) {
        List<R> pending = waiting.get(category);
        if (pending != null) {
            pending.add(request);
            return Admission.COALESCED;
        }
        pending = new ArrayList<>(List.of(request));
        waiting.put(category, pending);
        boolean busy = running.getOrDefault(category, false);
        if (!busy) {
            executor.execute(() -> start(category));
        }
        return busy ? Admission.QUEUED : Admission.STARTED;
    }

    /** Whether a run of {@code category} is going or waiting. */
    public synchronized boolean isBusy(String category) {
        return waiting.containsKey(category) || running.getOrDefault(category, false);
    }

    private void start(String category) {
        List<R> requests;
        synchronized (this) {
            requests = waiting.remove(category);
            running.put(category, true);
        }
        try {
            run.accept(category, requests);
        } finally {
            synchronized (this) {
                running.put(category, false);
                if (waiting.containsKey(category)) {
                    executor.execute(() -> start(category));
                }
            }
        }
    }

    /** Stops taking runs and waits up to {@code timeoutSeconds} for the current one. */
    public boolean shutdown(long timeoutSeconds) throws InterruptedException {
        executor.shutdown();
        return executor.awaitTermination(timeoutSeconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
