package com.gladstream.local.testing;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link KafkaCluster} shared by the tests of a class, started before the first and closed
 * after the last:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaClusterExtension kafka = new KafkaClusterExtension();
 * ... kafka.bootstrapServers() ...
 * }</pre>
 */
public final class KafkaClusterExtension implements BeforeAllCallback, AfterAllCallback {

    private KafkaCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = KafkaCluster.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    public KafkaCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("the Kafka cluster runs only between beforeAll and afterAll;"
                    + " register the extension on a static field");
        }
        return cluster;
    }

    public String bootstrapServers() {
        return cluster().bootstrapServers();
    }

    /** Creates topics with replication factor 1 and waits until they exist. */
    public void createTopics(int partitions, String... names) {
        List<NewTopic> topics = Arrays.stream(names).map(name -> new NewTopic(name, partitions, (short) 1)).toList();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(topics).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + Arrays.toString(names), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topics " + Arrays.toString(names), e.getCause());
        }
    }
}
