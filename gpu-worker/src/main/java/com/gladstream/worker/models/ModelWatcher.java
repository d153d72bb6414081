package com.gladstream.worker.models;

import com.gladstream.glad.model.ModelLoadException;
import com.gladstream.schemas.ModelPublished;
import com.gladstream.worker.kafka.KafkaClients;
import com.gladstream.worker.kafka.RegistryRetry;
import com.gladstream.worker.observability.WorkerMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted models topic from its beginning on its own thread and keeps the
 * {@link ModelCache} serving the newest announced version of every category. A version that fails
 * to load is reported (log and metric) and the previous one keeps serving. The worker takes no
 * request before {@link #awaitCaughtUp} returns, so a category is never dead-lettered as having
 * no model just because its announcement had not been read yet.
 */
public final class ModelWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelWatcher.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final ModelAnnouncements announcements;
    private final ModelLoader loader;
    private final ModelCache cache;
    private final WorkerMetrics metrics;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    public ModelWatcher(KafkaClients clients, String topic, Deserializer<ModelPublished> deserializer,
            RegistryRetry registry, ModelLoader loader, ModelCache cache, WorkerMetrics metrics) {
        this.consumer = clients.consumer(null, 100);
        this.topic = topic;
        this.announcements = new ModelAnnouncements(deserializer, registry);
        this.loader = loader;
        this.cache = cache;
        this.metrics = metrics;
        this.thread = new Thread(this::run, "glad-model-watcher");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    /** Waits until every announcement present at start has been read and loaded (or failed to load). */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("the models topic " + topic + " does not exist; create it (topics.create)");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(record);
                }
                if (caughtUp.getCount() > 0 && end.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    log.info("models topic read to its end at start; serving {}", cache.versions());
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException stopping) {
            // close() woke the consumer up
        } catch (RuntimeException e) {
            log.error("model watcher stopped: {}", e.toString(), e);
        } finally {
            consumer.close();
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        Optional<ModelPublished> read = announcements.read(record);
        if (read.isEmpty()) {
            metrics.modelLoadFailed();
            return;
        }
        ModelPublished announcement = read.get();
        String category = announcement.getCategory();
        if (cache.version(category).filter(announcement.getVersion()::equals).isPresent()) {
            return;
        }
        long started = System.nanoTime();
        try {
            cache.install(loader.load(announcement));
            log.atInfo().addKeyValue("category", category).addKeyValue("version", announcement.getVersion())
                    .addKeyValue("load_ms", (System.nanoTime() - started) / 1_000_000)
                    .log("serving new model version");
        } catch (ModelLoadException | RuntimeException e) {
            metrics.modelLoadFailed();
            log.atError().addKeyValue("category", category).addKeyValue("version", announcement.getVersion())
                    .log("model failed to load; the previous version keeps serving: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        if (!thread.isAlive() && caughtUp.getCount() > 0 && thread.getState() == Thread.State.NEW) {
            consumer.close();
            return;
        }
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
