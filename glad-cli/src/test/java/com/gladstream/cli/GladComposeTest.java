package com.gladstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.gladstream.cli.console.ConsoleSettings;
import com.gladstream.schemas.claimcheck.ImageUriPolicy;
import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.schemas.config.Topics;
import com.gladstream.schemas.registry.HttpSchemaRegistryClient;
import com.gladstream.streams.StreamsService;
import com.gladstream.streams.StreamsSettings;
import com.gladstream.worker.WorkerSettings;
import com.gladstream.worker.kafka.KafkaClients;
import com.gladstream.worker.training.TrainerSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * docker-compose.yml against the code, since no Docker engine runs it here: each GLAD service's
 * command parses as a real {@code glad} command, each GLAD_* variable is one that service reads
 * (the keys its settings asked {@link ServiceConfig} for), and brokers, registry, topics, volumes,
 * ports, health checks and the workers' GPUs line up.
 */
class GladComposeTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** What each service command reads at startup, as the command's code reads it. */
    private static final Map<String, Consumer<ServiceConfig>> SETTINGS_READ_BY = Map.of(
            "streams", config -> {
                StreamsService.streamsProperties(config, StreamsSettings.from(config));
                HttpSchemaRegistryClient.configured(config);
            },
            "worker", config -> {
                WorkerSettings.from(config);
                new KafkaClients(config).common();
                ImageUriPolicy.from(config);
                config.registryUrl();
            },
            "trainer", config -> {
                TrainerSettings.from(config);
                new KafkaClients(config).common();
                config.registryUrl();
            },
            "console", config -> {
                ConsoleSettings.from(config);
                new KafkaClients(config).common();
                HttpSchemaRegistryClient.configured(config);
            });

    private static Map<String, Object> compose;
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void parse() throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        compose = new Yaml(options).load(Files.readString(ROOT.resolve("docker-compose.yml")));
        services = (Map<String, Map<String, Object>>) compose.get("services");
        assertThat(services).containsKeys("kafka", "schema-registry", "streams", "console");
    }

    /** The services that run the GLAD image, by name. */
    private static Map<String, Map<String, Object>> gladServices() {
        Map<String, Map<String, Object>> glad = new TreeMap<>();
        services.forEach((name, s) -> {
            if (s.containsKey("build")) {
                glad.put(name, s);
            }
        });
        assertThat(glad.keySet()).contains("streams", "console").anyMatch(n -> n.startsWith("worker"));
        return glad;
    }

    @SuppressWarnings("unchecked")
    private static List<String> command(Map<String, Object> service) {
        return (List<String>) service.get("command");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new TreeMap<>();
        ((Map<String, Object>) service.getOrDefault("environment", Map.of()))
                .forEach((k, v) -> env.put(k, String.valueOf(v)));
        return env;
    }

    private static ServiceConfig configOf(Map<String, Object> service) {
        ServiceConfig config = ServiceConfig.of(Map.of(), environment(service));
        SETTINGS_READ_BY.get(command(service).get(0)).accept(config);
        return config;
    }

    @Test
    void everyCommandIsARealGladCommandThatParses() {
        gladServices().forEach((name, service) -> {
            List<String> command = command(service);
            assertThat(command).as(name + " has a command").isNotEmpty();
            CommandLine glad = GladCommand.commandLine();
            assertThat(glad.getSubcommands()).as(name + ": glad " + command.get(0)).containsKey(command.get(0));
            CommandLine.ParseResult parsed = glad.parseArgs(command.toArray(String[]::new));
            assertThat(parsed.subcommand().unmatched()).as(name + " arguments").isEmpty();
            assertThat(SETTINGS_READ_BY).as("the settings glad " + command.get(0) + " reads are known to this test")
                    .containsKey(command.get(0));
        });
    }

    @Test
    void everyGladVariableIsOneItsServiceReadsWithAValidValue() {
        gladServices().forEach((name, service) -> {
            Map<String, String> env = environment(service);
            assertThat(env).as(name).containsKeys("GLAD_BOOTSTRAP_SERVERS", "GLAD_REGISTRY_URL");
            ServiceConfig config = configOf(service); // typed getters reject malformed values here
            env.keySet().stream().filter(k -> k.startsWith(ServiceConfig.ENV_PREFIX)).forEach(variable ->
                    assertThat(config.reads(variable)).as(name + " (glad " + command(service).get(0) + ") reads "
                            + variable).isTrue());
        });
    }

    @Test
    void anUnknownVariableWouldBeCaught() {
        // The check above must be able to fail: a misspelt setting is not read by anyone.
        ServiceConfig config = ServiceConfig.of(Map.of(), Map.of("GLAD_HEATMAP_DIR", "/data/heatmaps"));
        SETTINGS_READ_BY.values().forEach(reader -> reader.accept(config));
        assertThat(config.reads("GLAD_HEATMAP_DIR")).isFalse();
        assertThat(config.reads("GLAD_HEATMAPS_DIR")).isTrue();
        assertThat(config.reads("GLAD_KAFKA_SECURITY_PROTOCOL")).as("the kafka.* pass-through group").isTrue();
    }

    @Test
    void servicesShareOneClusterOneRegistryAndOneSetOfTopics() {
        Set<Topics> topics = new HashSet<>();
        Map<String, Object> kafkaEnv = new HashMap<>(environment(services.get("kafka")));
        String advertised = String.valueOf(kafkaEnv.get("KAFKA_ADVERTISED_LISTENERS"));
        gladServices().forEach((name, service) -> {
            ServiceConfig config = configOf(service);
            topics.add(config.topics());
            for (String server : config.bootstrapServers().split(",")) {
                assertThat(advertised).as(name + " bootstraps from a listener kafka advertises").contains("//" + server);
                assertThat(services).containsKey(server.substring(0, server.lastIndexOf(':')));
            }
            URI registry = URI.create(config.registryUrl());
            assertThat(services).as(name + " registry host").containsKey(registry.getHost());
            assertThat(environment(services.get(registry.getHost())).get("SCHEMA_REGISTRY_LISTENERS"))
                    .as(name + " registry port").endsWith(":" + registry.getPort());
            assertThat(dependsOn(service)).as(name + " waits for").contains("kafka", registry.getHost());
        });
        assertThat(topics).as("every service uses the same topic names").hasSize(1);
        assertThat(String.valueOf(environment(services.get("kafka")).get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")))
                .as("topics are created by the services (compacted models topic), not by the broker").isEqualTo("false");
    }

    @Test
    void workersAndConsoleShareTheHeatmapVolumeAndWorkersTheModels() {
        Map<String, String> heatmapVolumes = new TreeMap<>();
        Set<String> workerIds = new HashSet<>();
        gladServices().forEach((name, service) -> {
            String role = command(service).get(0);
            if (role.equals("worker")) {
                WorkerSettings settings = WorkerSettings.from(ServiceConfig.of(Map.of(), environment(service)));
                assertThat(workerIds.add(settings.workerId())).as(name + " has its own worker.id").isTrue();
                heatmapVolumes.put(name, volumeAt(name, service, settings.heatmapDir(), false));
                assertThat(volumeAt(name, service, settings.modelStore(), false)).isEqualTo("models");
            } else if (role.equals("trainer")) {
                TrainerSettings settings = TrainerSettings.from(ServiceConfig.of(Map.of(), environment(service)));
                assertThat(volumeAt(name, service, settings.modelStore(), false))
                        .as("the trainer publishes into the store the workers load from").isEqualTo("models");
            } else if (role.equals("console")) {
                ConsoleSettings settings = ConsoleSettings.from(ServiceConfig.of(Map.of(), environment(service)));
                heatmapVolumes.put(name, volumeAt(name, service, settings.heatmapDir(), true));
            }
        });
        assertThat(heatmapVolumes).containsKey("console").hasSizeGreaterThan(1);
        assertThat(Set.copyOf(heatmapVolumes.values())).as("one heatmap volume " + heatmapVolumes).hasSize(1);
        assertThat(Set.copyOf(heatmapVolumes.values())).isEqualTo(Set.of("heatmaps"));
    }

    /** The named volume mounted at {@code dir} in {@code service}; declared at the top level. */
    @SuppressWarnings("unchecked")
    private static String volumeAt(String name, Map<String, Object> service, Path dir, boolean readOnlyAllowed) {
        assertThat(dir.isAbsolute()).as(name + ": " + dir + " is an absolute path in the container").isTrue();
        for (Object mount : (List<Object>) service.getOrDefault("volumes", List.of())) {
            String[] parts = String.valueOf(mount).split(":");
            if (parts.length >= 2 && Path.of(parts[1]).equals(dir)) {
                assertThat(parts.length == 2 || readOnlyAllowed).as(name + " mounts " + dir + " writable").isTrue();
                Map<String, Object> declared = (Map<String, Object>) compose.get("volumes");
                assertThat(declared).as("volume " + parts[0] + " is declared").containsKey(parts[0]);
                return parts[0];
            }
        }
        throw new AssertionError(name + " has no volume mounted at " + dir);
    }

    @Test
    @SuppressWarnings("unchecked")
    void productionShape() {
        services.forEach((name, service) -> {
            assertThat(service.get("restart")).as(name + " restart policy").isIn("unless-stopped", "always", "on-failure");
            for (Object port : (List<Object>) service.getOrDefault("ports", List.of())) {
                assertThat(String.valueOf(port)).as(name + " port").startsWith("127.0.0.1:");
            }
            if (!Set.of("streams", "trainer").contains(name)) { // no endpoint: they exit on failure and restart
                assertThat(service).as(name + " health check").containsKey("healthcheck");
            }
        });
        assertThat(String.valueOf(services.get("kafka").get("image"))).isEqualTo("apache/kafka:4.1.1");
        assertThat(String.valueOf(services.get("schema-registry").get("image"))).startsWith("confluentinc/cp-schema-registry:");
        gladServices().forEach((name, service) -> {
            if (command(service).get(0).equals("worker")) {
                Map<String, Object> deploy = (Map<String, Object>) service.get("deploy");
                Map<String, Object> reservations = (Map<String, Object>) ((Map<String, Object>) deploy.get("resources"))
                        .get("reservations");
                List<Map<String, Object>> devices = (List<Map<String, Object>>) reservations.get("devices");
                assertThat(devices).as(name + " reserves a GPU")
                        .anySatisfy(d -> assertThat((List<String>) d.get("capabilities")).contains("gpu"));
                WorkerSettings settings = WorkerSettings.from(ServiceConfig.of(Map.of(), environment(service)));
                String health = String.join(" ", (List<String>) ((Map<String, Object>) service.get("healthcheck")).get("test"));
                assertThat(health).as(name + " health check asks the worker's own port")
                        .contains("localhost:" + settings.httpPort() + "/health");
                assertThat(settings.httpHost()).as(name + " serves health beyond the container's loopback").isEqualTo("0.0.0.0");
            }
        });
    }

    @Test
    void dockerfileRunsTheGladCommand() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        assertThat(dockerfile).contains(GladCommand.class.getName()).contains("glad-cli/target/lib")
                .contains("MAVEN_PROFILES").contains("curl");
        assertThat(Files.readString(ROOT.resolve("pom.xml"))).as("the gpu profile the worker image builds with")
                .contains("<id>gpu</id>");
    }

    @SuppressWarnings("unchecked")
    private static Set<String> dependsOn(Map<String, Object> service) {
        Object deps = service.getOrDefault("depends_on", List.of());
        return deps instanceof Map<?, ?> map ? (Set<String>) map.keySet() : Set.copyOf((List<String>) deps);
    }
}
