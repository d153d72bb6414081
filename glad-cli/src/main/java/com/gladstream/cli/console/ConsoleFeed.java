package com.gladstream.cli.console;

import com.gladstream.schemas.ControlEvent;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.InferenceRequest;
import com.gladstream.schemas.config.Topics;
import com.gladstream.schemas.serde.Buffers;
import com.gladstream.worker.kafka.KafkaClients;
import com.gladstream.worker.kafka.WorkerSerdes;
import com.gladstream.worker.training.ControlEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Serde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the topics the operator page shows into the {@link OperatorView}, read committed, on one
 * thread. It joins no consumer group and commits nothing: each console reads for itself. Partitions
 * are assigned directly (and picked up when topics appear or grow); the models topic is read from
 * its beginning (compacted: the latest version per category), the others from
 * {@code console.backlog} records before their end, so the page opens with recent history.
 * Input images come from the requests topic (inline bytes only; claim-check URIs are not fetched).
 */
final class ConsoleFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsoleFeed.class);
    private static final Duration TOPIC_CHECK = Duration.ofSeconds(5);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topics topics;
    private final WorkerSerdes serdes;
    private final Serde<ControlEvent> control;
    private final OperatorView view;
    private final int backlog;
    private final Thread thread;
    private final Set<TopicPartition> assigned = new HashSet<>();
    private volatile boolean running = true;

    ConsoleFeed(KafkaClients clients, WorkerSerdes serdes, ConsoleSettings settings, OperatorView view) {
        this.consumer = clients.reader(500);
        this.topics = settings.topics();
        this.serdes = serdes;
        this.control = ControlEvents.serde(serdes.registry());
        this.view = view;
        this.backlog = settings.backlog();
        this.thread = new Thread(this::run, "glad-console-feed");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private List<String> shown() {
        return List.of(topics.models(), topics.requests(), topics.results(), topics.statistics(), topics.deadLetter(),
                topics.control());
    }

    private void run() {
        long nextCheck = 0;
        try {
            while (running) {
                if (System.nanoTime() >= nextCheck) {
                    assignNewPartitions();
                    nextCheck = System.nanoTime() + TOPIC_CHECK.toNanos();
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(200);
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    dispatch(r);
                }
            }
        } catch (WakeupException | InterruptedException stopping) {
            // closed
        } catch (RuntimeException e) {
            log.error("the console stopped reading Kafka", e);
        } finally {
            consumer.close();
        }
    }

    private void assignNewPartitions() {
        Map<String, List<PartitionInfo>> existing = consumer.listTopics(Duration.ofSeconds(10));
        List<TopicPartition> fresh = new ArrayList<>();
        for (String topic : shown()) {
            for (PartitionInfo p : existing.getOrDefault(topic, List.of())) {
                TopicPartition tp = new TopicPartition(topic, p.partition());
                if (!assigned.contains(tp)) {
                    fresh.add(tp);
                }
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        assigned.addAll(fresh);
        consumer.assign(assigned);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(fresh);
        Map<TopicPartition, Long> end = consumer.endOffsets(fresh);
        for (TopicPartition tp : fresh) {
            long from = tp.topic().equals(topics.models()) ? begin.get(tp) : Math.max(begin.get(tp), end.get(tp) - backlog);
            consumer.seek(tp, from);
        }
        log.info("console reading {}", fresh);
    }

    private void dispatch(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return; // a tombstone on the compacted models topic
        }
        String topic = r.topic();
        try {
            if (topic.equals(topics.results())) {
                view.add(serdes.results().deserializer().deserialize(topic, r.value()));
            } else if (topic.equals(topics.deadLetter())) {
                view.add(serdes.rejections().deserializer().deserialize(topic, r.value()));
            } else if (topic.equals(topics.statistics())) {
                view.add(serdes.statistics().deserializer().deserialize(topic, r.value()));
            } else if (topic.equals(topics.models())) {
                view.add(serdes.models().deserializer().deserialize(topic, r.value()));
            } else if (topic.equals(topics.control())) {
                view.add(control.deserializer().deserialize(topic, r.value()));
            } else if (topic.equals(topics.requests())) {
                InferenceRequest request = serdes.requests().deserializer().deserialize(topic, r.value());
                ImageEvent image = request.getImage();
                if (image.getImageBytes() != null) {
                    view.addInput(image.getEventId(), Buffers.toArray(image.getImageBytes()), "image/" + image.getEncoding().name().toLowerCase(Locale.ROOT));
                }
            }
        } catch (RuntimeException e) {
            log.warn("unreadable record {}-{}@{}: {}", topic, r.partition(), r.offset(), e.getMessage());
            view.unreadable();
        }
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
