package com.gladstream.streams;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.schemas.config.TopicSetup;
import com.gladstream.schemas.registry.HttpSchemaRegistryClient;

/**
 * Runs {@link GladTopology} against the configured cluster and schema registry, exactly once
 * ({@code exactly_once_v2}). A stream thread that dies is replaced rather than taking the
 * application down; bad records are handled by {@link BadRecordHandler}.
 *
 * <p>Settings prefixed {@code kafka.} (for example {@code kafka.security.protocol}) go to every
 * Kafka client, those prefixed {@code streams.} (for example {@code streams.num.stream.threads})
 * to Kafka Streams only, after and so over the defaults set here.
 */
public final class StreamsService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamsService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration OUTAGE_FIRST_WAIT = Duration.ofMillis(250);
    static final Duration OUTAGE_MAX_WAIT = Duration.ofSeconds(5);

    private final ServiceConfig config;
    private final StreamsSettings settings;
    private final KafkaStreams streams;
    private final CountDownLatch terminated = new CountDownLatch(1);

    public StreamsService(ServiceConfig config) {
        this.config = config;
        this.settings = StreamsSettings.from(config);
        TopologySerdes serdes = TopologySerdes.using(
                HttpSchemaRegistryClient.configured(config), settings.autoRegisterSchemas());
        this.streams = new KafkaStreams(GladTopology.build(settings, serdes), streamsProperties(config, settings));
        Backoff outageBackoff = new Backoff(OUTAGE_FIRST_WAIT, OUTAGE_MAX_WAIT);
        streams.setUncaughtExceptionHandler(failure -> {
            if (RegistryOutages.isOutage(failure)) {
                log.warn("stream thread stopped by a schema registry outage; replacing it after a pause: {}",
                        failure.toString());
                try {
                    outageBackoff.sleep();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                outageBackoff.reset();
                log.error("stream thread failed; replacing it", failure);
            }
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> {
            log.info("streams application {}: {} -> {}", settings.applicationId(), before, now);
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                terminated.countDown();
            }
        });
    }

    /** The Kafka Streams configuration this service runs with. */
    public static Properties streamsProperties(ServiceConfig config, StreamsSettings settings) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, BadRecordHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, BadRecordHandler.class.getName());
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, BadRecordHandler.class.getName());
        // Every output of an accepted input fits the topics TopicSetup creates; the producer must let it through.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                settings.recordLimits().maxMessageBytes());
        props.putAll(config.withPrefix("kafka."));
        props.putAll(config.withPrefix("streams."));
        return props;
    }

    /** Creates missing topics if configured to, then starts processing in the background. */
    public void start() {
        if (settings.createTopics()) {
            Map<String, Object> adminConfig = new HashMap<>(config.withPrefix("kafka."));
            adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
            try (Admin admin = Admin.create(adminConfig)) {
                List<String> created = TopicSetup.createMissing(admin, settings.topics(),
                        settings.topicPartitions(), settings.recordLimits());
                if (!created.isEmpty()) {
                    log.info("created topics {}", created);
                }
            }
        }
        streams.start();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * Starts, then blocks until the JVM is asked to stop (Ctrl-C, SIGTERM; the application is then
     * closed cleanly) or the application stops by itself; returns the final state.
     */
    public KafkaStreams.State runUntilShutdown() throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "glad-streams-shutdown"));
        start();
        terminated.await();
        return streams.state();
    }

    @Override
    public void close() {
        if (!streams.close(CLOSE_TIMEOUT)) {
            log.warn("streams application {} did not stop within {}", settings.applicationId(), CLOSE_TIMEOUT);
        }
    }
}
