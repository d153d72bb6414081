package com.gladstream.worker.inference;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The named, bounded schedulers of the worker's blocking work. Inference threads start with
 * PyTorch's gradient recording off: DJL's gradient mode is per thread and on by default on any new
 * thread (docs/DESIGN.md, "The worker's threads and batching"). Each inference thread costs resident memory (a
 * malloc arena and its own activations), so their number is a memory setting, not only a speed one.
 */
public final class InferenceScheduler {

    private InferenceScheduler() {}

    /** {@code threads} inference threads named {@code glad-inference-N}, with at most {@code threads} queued batches. */
    public static Scheduler inference(int threads) {
        return bounded("glad-inference", threads, true);
    }

    /** Threads for decoding images, named {@code glad-decode-N}. */
    public static Scheduler decode(int threads) {
        return bounded("glad-decode", threads, false);
    }

    private static Scheduler bounded(String name, int threads, boolean noGradients) {
        AtomicInteger counter = new AtomicInteger();
        // The queue only ever holds what the pipeline's concurrency allows; a full queue is a bug, not load.
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(64, 4 * threads)), runnable -> {
                    Thread thread = new Thread(() -> {
                        if (noGradients) {
                            Engine.getEngine("PyTorch");
                            JniUtils.setGradMode(false);
                        }
                        runnable.run();
                    }, name + "-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        return Schedulers.fromExecutorService(executor, name);
    }
}
