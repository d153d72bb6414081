package com.gladstream.worker.kafka;

import com.gladstream.schemas.RejectReason;
import com.gladstream.worker.observability.WorkerMetrics;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * The worker's Kafka edge: one thread owns the request consumer and the transactional producer.
 * It polls requests into a bounded Reactor sink, pauses every assigned partition while
 * {@code maxInFlight} records are taken and not yet committed (so when producers outrun inference
 * the records wait in Kafka, not in the heap), and commits finished work: each partition's
 * contiguous prefix of outcomes is produced in one transaction together with the offset past it
 * (docs/DESIGN.md, "Delivery").
 *
 * <p>A failed transaction is aborted and its partitions are rewound to the first record it
 * carried; a fenced producer (another instance took over) stops the worker. A revoked partition
 * first commits what is finished, then forgets the rest, which its next owner replays.
 */
public final class RequestConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RequestConsumer.class);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration ABORT_BACKOFF = Duration.ofSeconds(1);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final OutcomeRecords records;
    private final String topic;
    private final int maxInFlight;
    private final Duration shutdownTimeout;
    private final WorkerMetrics metrics;
    private final OffsetLedger ledger = new OffsetLedger();
    private final Sinks.Many<WorkItem> sink;
    private final ConcurrentLinkedQueue<Outcome> finished = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile boolean draining;
    private volatile Throwable failure;
    private boolean paused;

    public RequestConsumer(KafkaClients clients, String groupId, String transactionalId, String topic,
            OutcomeRecords records, int maxInFlight, Duration shutdownTimeout, WorkerMetrics metrics) {
        this.consumer = clients.consumer(groupId, maxInFlight);
        this.producer = clients.transactionalProducer(transactionalId);
        this.records = records;
        this.topic = topic;
        this.maxInFlight = maxInFlight;
        this.shutdownTimeout = shutdownTimeout;
        this.metrics = metrics;
        // Polling stops at maxInFlight and a poll returns at most maxInFlight, so the sink holds at most twice that,
        // or up to twice more right after a rewind, whose discarded records may still be queued.
        this.sink = Sinks.many().unicast().onBackpressureBuffer(Queues.<WorkItem>get(4 * maxInFlight).get());
        this.thread = new Thread(this::run, "glad-worker-poll");
    }

    /** The polled requests, in poll order; subscribe once. */
    public Flux<WorkItem> items() {
        return sink.asFlux();
    }

    /** Hands back finished requests, from any thread; each is produced when its offset commits. */
    public void finishAll(List<? extends Outcome> outcomes) {
        finished.addAll(outcomes);
    }

    public void start() {
        thread.start();
    }

    /** True while the poll thread runs and has not failed. */
    public boolean isHealthy() {
        return thread.isAlive() && failure == null;
    }

    private void run() {
        try {
            producer.initTransactions();
            consumer.subscribe(List.of(topic), new Rebalance());
            while (running) {
                step();
                if (draining && ledger.size() == 0) {
                    break;
                }
            }
        } catch (WakeupException stopping) {
            // close() asked us to stop at once
        } catch (ProducerFencedException | InvalidProducerEpochException | AuthorizationException e) {
            failure = e;
            log.error("worker stopped: its transactional producer was fenced or refused: {}", e.toString());
        } catch (RuntimeException e) {
            failure = e;
            log.error("worker poll loop failed", e);
        } finally {
            sink.tryEmitComplete();
            closeClients();
            stopped.countDown();
        }
    }

    private void step() {
        applyFinished();
        commit(ledger.takeReady());
        updatePause();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            WorkItem item = ledger.register(partition, record.offset(), record.key(), record.value(),
                    System.currentTimeMillis());
            Sinks.EmitResult emitted = sink.tryEmitNext(item);
            if (emitted.isFailure()) {
                throw new IllegalStateException("request sink refused a record (" + emitted + "); the in-flight bound is broken");
            }
        }
        metrics.inFlight(ledger.size());
        metrics.lag(lag());
    }

    private void applyFinished() {
        for (Outcome outcome; (outcome = finished.poll()) != null; ) {
            ledger.finish(outcome);
        }
    }

    private void updatePause() {
        Set<TopicPartition> assigned = consumer.assignment();
        boolean full = draining || ledger.size() >= maxInFlight;
        if (full && !paused) {
            consumer.pause(assigned);
            paused = true;
        } else if (!full && paused && ledger.size() <= maxInFlight / 2) {
            consumer.resume(assigned);
            paused = false;
        } else if (paused) {
            consumer.pause(assigned); // partitions assigned since the pause start paused too
        }
    }

    private void commit(Map<TopicPartition, OffsetLedger.Ready> ready) {
        if (ready.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Map<RejectReason, Integer> deadLetters = new EnumMap<>(RejectReason.class);
        int results = 0;
        try {
            producer.beginTransaction();
            for (var entry : ready.entrySet()) {
                for (Outcome outcome : entry.getValue().outcomes()) {
                    ProducerRecord<byte[], byte[]> record = records.toRecord(outcome);
                    producer.send(record);
                    if (outcome instanceof Outcome.Rejected rejected) {
                        deadLetters.merge(rejected.deadLetter().getReason(), 1, Integer::sum);
                    } else {
                        results++;
                    }
                }
                offsets.put(entry.getKey(), entry.getValue().next());
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
            metrics.committed(results, deadLetters);
        } catch (ProducerFencedException | InvalidProducerEpochException | AuthorizationException fatal) {
            throw fatal;
        } catch (KafkaException e) {
            log.warn("transaction of {} outcomes failed ({}); aborting and replaying from the first of them",
                    ready.values().stream().mapToInt(r -> r.outcomes().size()).sum(), e.toString());
            metrics.transactionAborted();
            producer.abortTransaction();
            rewind(ready);
            pauseAfterFailure();
        }
    }

    /** A failing registry or broker is not hammered: the replay waits a moment (heartbeats run on their own thread). */
    private static void pauseAfterFailure() {
        try {
            Thread.sleep(ABORT_BACKOFF.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Puts the partitions of an aborted transaction back to its first record; work in flight for them is discarded. */
    private void rewind(Map<TopicPartition, OffsetLedger.Ready> aborted) {
        for (var entry : aborted.entrySet()) {
            TopicPartition partition = entry.getKey();
            long first = entry.getValue().outcomes().get(0).item().offset();
            ledger.drop(partition);
            ledger.assign(partition);
            consumer.seek(partition, first);
        }
    }

    private long lag() {
        long total = 0;
        for (TopicPartition partition : consumer.assignment()) {
            total += consumer.currentLag(partition).orElse(0);
        }
        return total + ledger.size();
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            applyFinished();
            try {
                commit(ledger.takeReady(partitions));
            } finally {
                partitions.forEach(ledger::drop);
                metrics.assignedPartitions(ledger.partitions().size());
            }
            log.info("partitions revoked: {}", partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(ledger::drop);
            metrics.assignedPartitions(ledger.partitions().size());
            log.warn("partitions lost: {}", partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            partitions.forEach(ledger::assign);
            metrics.assignedPartitions(ledger.partitions().size());
            if (paused) {
                consumer.pause(partitions);
            }
            log.info("partitions assigned: {}", partitions);
        }
    }

    /**
     * Stops taking records, lets the in-flight ones finish and commit (up to the shutdown timeout),
     * then closes the clients; what did not finish is replayed by whoever owns its partition next.
     */
    @Override
    public void close() {
        draining = true;
        try {
            if (thread.isAlive() && !stopped.await(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} requests still in flight after {}; they will be replayed", ledger.size(), shutdownTimeout);
                running = false;
                consumer.wakeup();
                stopped.await(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.getState() == Thread.State.NEW) {
            closeClients();
        }
    }

    private void closeClients() {
        try {
            consumer.close();
        } finally {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
