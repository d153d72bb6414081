package com.gladstream.local.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A one-node Kafka cluster running inside this JVM: a KRaft server that is broker and controller at
 * once, for local runs and tests.
 *
 * <p>The data directory holds the formatted storage, the metadata log and the topic data, so a
 * broker started again on the same directory finds the topics and records of the previous run.
 * A port of 0 picks a free port at the first {@link #start()}; later restarts of the same instance
 * keep it, so clients configured with {@link #bootstrapServers()} reconnect after a restart.
 *
 * <p>Defaults suit one node: replication factor 1 and min ISR 1 for the internal topics (so
 * transactions and {@code exactly_once_v2} work), one partition for the offsets and transaction
 * state topics, small thread pools and a small log-cleaner buffer. Extra broker settings passed to
 * the constructor override them.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;

    private final Path dataDir;
    private final boolean deleteDataDirOnClose;
    private final Map<String, String> overrides;
    private int brokerPort;
    private int controllerPort;
    private KafkaRaftServer server;

    /**
     * @param dataDir        where storage lives; created if missing, formatted on first start
     * @param brokerPort     client port, 0 for a free one
     * @param controllerPort KRaft controller port, 0 for a free one
     * @param overrides      broker settings that replace the defaults
     */
    public EmbeddedKafkaBroker(Path dataDir, int brokerPort, int controllerPort, Map<String, String> overrides) {
        this(dataDir, false, brokerPort, controllerPort, overrides);
    }

    /** A broker on free ports with the default settings. */
    public EmbeddedKafkaBroker(Path dataDir) {
        this(dataDir, 0, 0, Map.of());
    }

    private EmbeddedKafkaBroker(Path dataDir, boolean deleteDataDirOnClose, int brokerPort, int controllerPort,
                                Map<String, String> overrides) {
        this.dataDir = dataDir.toAbsolutePath();
        this.deleteDataDirOnClose = deleteDataDirOnClose;
        this.brokerPort = requirePort(brokerPort, "broker");
        this.controllerPort = requirePort(controllerPort, "controller");
        this.overrides = Map.copyOf(overrides);
    }

    /** A broker on free ports whose data directory is a fresh temporary one, deleted by {@link #close()}. */
    public static EmbeddedKafkaBroker inTemporaryDirectory() {
        return inTemporaryDirectory(0, 0);
    }

    /** A broker whose data directory is a fresh temporary one, deleted by {@link #close()}. */
    public static EmbeddedKafkaBroker inTemporaryDirectory(int brokerPort, int controllerPort) {
        try {
            return new EmbeddedKafkaBroker(Files.createTempDirectory("glad-kafka-"), true, brokerPort, controllerPort,
                    Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary Kafka data directory", e);
        }
    }

    /** Formats the storage if this directory has never held a broker, then starts and waits until it serves clients. */
    public synchronized void start() {
        if (server != null) {
            throw new IllegalStateException("broker already running at " + bootstrapServers());
        }
        long started = System.nanoTime();
        if (brokerPort == 0) {
            brokerPort = freePort();
        }
        if (controllerPort == 0) {
            controllerPort = freePort();
        }
        Properties config = serverConfig();
        formatStorage(config);
        KafkaRaftServer raftServer = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        // startup() returns once the broker is registered with the controller and unfenced.
        raftServer.startup();
        server = raftServer;
        log.info("Kafka broker ready at {} (data in {}) after {} ms",
                bootstrapServers(), dataDir, (System.nanoTime() - started) / 1_000_000);
    }

    /** Shuts the broker down cleanly; the data directory is kept and {@link #start()} may be called again. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** {@code host:port} for clients; fixed once the broker has started. */
    public synchronized String bootstrapServers() {
        if (brokerPort == 0) {
            throw new IllegalStateException("the broker port is chosen at the first start()");
        }
        return "localhost:" + brokerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public synchronized void close() {
        stop();
        if (deleteDataDirOnClose) {
            deleteRecursively(dataDir);
        }
    }

    private Properties serverConfig() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("process.roles", "broker,controller");
        settings.put("node.id", String.valueOf(NODE_ID));
        settings.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        settings.put("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
        settings.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        settings.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        settings.put("controller.listener.names", "CONTROLLER");
        settings.put("inter.broker.listener.name", "PLAINTEXT");
        settings.put("log.dirs", logDir().toString());
        settings.put("offsets.topic.replication.factor", "1");
        settings.put("offsets.topic.num.partitions", "1");
        settings.put("transaction.state.log.replication.factor", "1");
        settings.put("transaction.state.log.min.isr", "1");
        settings.put("transaction.state.log.num.partitions", "1");
        settings.put("share.coordinator.state.topic.replication.factor", "1");
        settings.put("share.coordinator.state.topic.min.isr", "1");
        settings.put("min.insync.replicas", "1");
        settings.put("default.replication.factor", "1");
        settings.put("group.initial.rebalance.delay.ms", "0");
        // The heartbeat unfences the broker: a short one makes startup take seconds, not tens of them.
        settings.put("broker.heartbeat.interval.ms", "500");
        settings.put("num.network.threads", "2");
        settings.put("num.io.threads", "2");
        settings.put("background.threads", "2");
        settings.put("num.recovery.threads.per.data.dir", "1");
        settings.put("log.cleaner.threads", "1");
        // The default 128 MiB de-duplication buffer dominates the heap of a small broker.
        settings.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        settings.putAll(overrides);
        Properties props = new Properties();
        props.putAll(settings);
        return props;
    }

    /** Formats storage unless a previous run already did, in which case its data and cluster id stay. */
    private void formatStorage(Properties config) {
        if (Files.exists(logDir().resolve("meta.properties"))) {
            return;
        }
        Path configFile = dataDir.resolve("server.properties");
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            Files.createDirectories(dataDir);
            try (OutputStream out = Files.newOutputStream(configFile)) {
                config.store(out, "Written by EmbeddedKafkaBroker for the storage formatter");
            }
            int exitCode;
            try (PrintStream printer = new PrintStream(output, true, StandardCharsets.UTF_8)) {
                exitCode = StorageTool.execute(new String[] {
                    "format", "--config", configFile.toString(),
                    "--cluster-id", Uuid.randomUuid().toString()}, printer);
            }
            if (exitCode != 0) {
                throw new IllegalStateException("formatting Kafka storage in " + dataDir + " failed: "
                        + output.toString(StandardCharsets.UTF_8).trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka data directory " + dataDir, e);
        }
    }

    private Path logDir() {
        return dataDir.resolve("logs");
    }

    private static int requirePort(int port, String what) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(what + " port must be 0 (any free port) or 1-65535, got " + port);
        }
        return port;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            log.warn("could not delete Kafka data directory {}: {}", dir, e.toString());
        }
    }
}
