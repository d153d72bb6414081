package com.gladstream.cli.demo;

import com.gladstream.schemas.AnomalyResult;
import com.gladstream.schemas.RejectedImage;
import com.gladstream.schemas.config.Topics;
import com.gladstream.worker.kafka.KafkaClients;
import com.gladstream.worker.kafka.WorkerSerdes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads results and dead letters back, read committed, as a downstream MES system would, and
 * remembers when each arrived (for latency). Runs on its own thread until closed.
 */
final class ResultCollector implements AutoCloseable {

    /** One verdict as it arrived: a result or a dead letter. */
    record Arrival(AnomalyResult result, RejectedImage deadLetter, long arrivedAtNanos) {
        String eventId() {
            return result != null ? result.getEventId() : deadLetter.getEventId();
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topics topics;
    private final WorkerSerdes serdes;
    private final Consumer<Arrival> onArrival;
    private final Map<String, Arrival> arrivals = new ConcurrentHashMap<>();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    ResultCollector(KafkaClients clients, Topics topics, WorkerSerdes serdes, Consumer<Arrival> onArrival) {
        this.consumer = clients.consumer("glad-demo-reader-" + UUID.randomUUID(), 500);
        this.topics = topics;
        this.serdes = serdes;
        this.onArrival = onArrival;
        this.thread = new Thread(this::run, "glad-demo-results");
        thread.setDaemon(true);
    }

    void start() {
        consumer.subscribe(List.of(topics.results(), topics.deadLetter()));
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    Arrival arrival = r.topic().equals(topics.results())
                            ? new Arrival(serdes.results().deserializer().deserialize(r.topic(), r.value()), null, now)
                            : new Arrival(null, serdes.rejections().deserializer().deserialize(r.topic(), r.value()), now);
                    if (arrival.eventId() == null) {
                        continue;
                    }
                    if (arrivals.putIfAbsent(arrival.eventId(), arrival) == null) {
                        onArrival.accept(arrival);
                    } else {
                        duplicates.incrementAndGet();
                    }
                }
            }
        } catch (WakeupException stopping) {
            // closed
        } finally {
            consumer.close();
        }
    }

    /** Verdicts that arrived for an event that already had one: zero under exactly-once delivery. */
    int duplicates() {
        return duplicates.get();
    }

    Map<String, Arrival> arrivals() {
        return Map.copyOf(arrivals);
    }

    /** Waits until {@code expected} distinct events have a verdict, or the timeout passes; returns how many have. */
    int await(int expected, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (arrivals.size() < expected && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        return arrivals.size();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
