package com.gladstream.local.testing;

import com.gladstream.local.broker.EmbeddedKafkaBroker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A running Kafka cluster for tests: a Testcontainers broker where Docker is available, the
 * in-JVM {@link EmbeddedKafkaBroker} where it is not. Tests only see the bootstrap servers.
 */
public interface KafkaCluster extends AutoCloseable {

    /** The image the container path runs; the same Kafka version as the embedded broker. */
    String KAFKA_IMAGE = "apache/kafka:4.1.1";

    String bootstrapServers();

    /** {@code "container"} or {@code "embedded"}, for logs and assertions. */
    String kind();

    @Override
    void close();

    /** Starts whichever cluster this machine can run. */
    static KafkaCluster start() {
        Logger log = LoggerFactory.getLogger(KafkaCluster.class);
        long started = System.nanoTime();
        KafkaCluster cluster = DockerClientFactory.instance().isDockerAvailable() ? startContainer() : startEmbedded();
        log.info("{} Kafka cluster at {} ready after {} ms",
                cluster.kind(), cluster.bootstrapServers(), (System.nanoTime() - started) / 1_000_000);
        return cluster;
    }

    private static KafkaCluster startContainer() {
        KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
        container.start();
        return new KafkaCluster() {
            @Override
            public String bootstrapServers() {
                return container.getBootstrapServers();
            }

            @Override
            public String kind() {
                return "container";
            }

            @Override
            public void close() {
                container.stop();
            }
        };
    }

    private static KafkaCluster startEmbedded() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.inTemporaryDirectory();
        try {
            broker.start();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return new KafkaCluster() {
            @Override
            public String bootstrapServers() {
                return broker.bootstrapServers();
            }

            @Override
            public String kind() {
                return "embedded";
            }

            @Override
            public void close() {
                broker.close();
            }
        };
    }
}
