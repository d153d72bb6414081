package com.gladstream.worker.batching;

import com.gladstream.worker.images.DecodedRequest;
import com.gladstream.worker.images.RequestDecoder;
import com.gladstream.worker.images.RequestRejectedException;
import com.gladstream.worker.inference.BatchInference;
import com.gladstream.worker.inference.ContinuousInference;
import com.gladstream.worker.kafka.DeadLetters;
import com.gladstream.worker.kafka.Outcome;
import com.gladstream.worker.kafka.RegistryUnavailableException;
import com.gladstream.worker.kafka.WorkItem;
import com.gladstream.schemas.RejectReason;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The worker's Reactor pipeline, from polled records to outcomes, in four named steps:
 *
 * <ol>
 *   <li>{@code decode}: the record and its image, on the bounded decode scheduler; a request that
 *       cannot be decoded becomes its dead letter at once ({@code reject-undecodable}).</li>
 *   <li>{@code micro-batch} (static batching): per category, up to {@code maxBatchSize} requests or
 *       whatever came within {@code maxBatchWait} of the first (Triton's dynamic batcher: max batch
 *       size, max queue delay).</li>
 *   <li>{@code infer}: static, one batch per inference thread at a time, on the inference scheduler;
 *       continuous, each inference thread steps its running batches and admits waiting requests
 *       between steps ({@link ContinuousInference}).</li>
 *   <li>{@code finish}: outcomes go back to the Kafka edge, which commits them.</li>
 * </ol>
 *
 * Nothing in it buffers without bound: demand flows from {@code infer} (continuous: one request per
 * slot of {@code (inferenceThreads + 1) × maxBatchSize}, requested again as each leaves), and what
 * the steps hold is capped by the Kafka edge's in-flight limit, past which it stops polling.
 */
public final class InferencePipeline {

    /**
     * Categories batched at once. A category's group lives as long as the worker (a few hundred
     * bytes each): closing idle groups would race with records arriving for them, and a record
     * discarded there would block its partition's commits. Categories are validated upstream
     * against the published models, so their number is the number of models.
     */
    static final int MAX_OPEN_CATEGORIES = 4096;

    private final RequestDecoder decoder;
    private final BatchInference inference;
    private final Scheduler decodeScheduler;
    private final int decodeThreads;
    private final Scheduler inferenceScheduler;
    private final int inferenceThreads;
    private final int maxBatchSize;
    private final Duration maxBatchWait;
    private final Batching batching;

    public InferencePipeline(RequestDecoder decoder, BatchInference inference, Scheduler decodeScheduler,
            int decodeThreads, Scheduler inferenceScheduler, int inferenceThreads, int maxBatchSize,
            Duration maxBatchWait, Batching batching) {
        this.decoder = decoder;
        this.inference = inference;
        this.decodeScheduler = decodeScheduler;
        this.decodeThreads = decodeThreads;
        this.inferenceScheduler = inferenceScheduler;
        this.inferenceThreads = inferenceThreads;
        this.maxBatchSize = maxBatchSize;
        this.maxBatchWait = maxBatchWait;
        this.batching = batching;
    }

    /** Runs {@code items} through the steps, handing every outcome to {@code finish}. */
    public Disposable run(Flux<WorkItem> items, Consumer<List<? extends Outcome>> finish) {
        Flux<DecodedRequest> decoded = items.flatMapSequential(item -> decode(item, finish), decodeThreads).name("decode");
        if (batching == Batching.CONTINUOUS) {
            return continuous(decoded, finish);
        }
        return decoded
                .groupBy(DecodedRequest::category, maxBatchSize)
                .flatMap(category -> category
                        .bufferTimeout(maxBatchSize, maxBatchWait, true), MAX_OPEN_CATEGORIES).name("micro-batch")
                .flatMap(this::infer, inferenceThreads).name("infer")
                .subscribe(finish::accept);
    }

    /**
     * Each inference thread runs a {@link ContinuousInference} loop for the whole run; disposing stops
     * them at their next step boundary (they close their batches on their own threads).
     */
    private Disposable continuous(Flux<DecodedRequest> decoded, Consumer<List<? extends Outcome>> finish) {
        ContinuousInference continuous = inference.continuous(maxBatchSize);
        Slots slots = new Slots(continuous, (inferenceThreads + 1) * maxBatchSize);
        decoded.name("infer").subscribe(slots);
        for (int i = 0; i < inferenceThreads; i++) {
            inferenceScheduler.schedule(() -> continuous.serve(finish, slots::free));
        }
        return () -> {
            slots.stop();
            continuous.stop();
        };
    }

    /**
     * The demand of continuous batching: {@code capacity} requests at first, then one for each that
     * leaves (as a result or a dead letter). Requests are serialised, as Reactive Streams asks of a
     * subscriber called from several inference threads.
     */
    private static final class Slots extends BaseSubscriber<DecodedRequest> {
        private final ContinuousInference continuous;
        private final int capacity;

        Slots(ContinuousInference continuous, int capacity) {
            this.continuous = continuous;
            this.capacity = capacity;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(capacity);
        }

        @Override
        protected void hookOnNext(DecodedRequest request) {
            continuous.offer(request);
        }

        synchronized void free(int slots) {
            request(slots);
        }

        synchronized void stop() {
            dispose();
        }
    }

    private Mono<DecodedRequest> decode(WorkItem item, Consumer<List<? extends Outcome>> finish) {
        return Mono.fromCallable(() -> decoder.decode(item))
                .subscribeOn(decodeScheduler)
                .onErrorResume(RequestRejectedException.class, rejected -> {
                    finish.accept(List.of(DeadLetters.of(item, rejected.image(), rejected.reason(), rejected.getMessage())));
                    return Mono.empty();
                }).name("reject-undecodable")
                // Stopping while the registry fails: the record stays uncommitted and is replayed, not dead-lettered.
                .onErrorResume(RegistryUnavailableException.class, stopping -> Mono.empty())
                .onErrorResume(RuntimeException.class, failure -> {
                    finish.accept(List.of(DeadLetters.of(item, null, RejectReason.PROCESSING_ERROR, failure.toString())));
                    return Mono.empty();
                });
    }

    private Mono<List<Outcome>> infer(List<DecodedRequest> batch) {
        return Mono.fromCallable(() -> inference.run(batch))
                .subscribeOn(inferenceScheduler)
                .onErrorResume(RuntimeException.class, failure -> Mono.just(batch.stream()
                        .map(r -> BatchInference.failed(r, failure)).toList()));
    }
}
