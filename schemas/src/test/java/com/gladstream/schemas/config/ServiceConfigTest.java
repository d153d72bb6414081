package com.gladstream.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceConfigTest {

    @TempDir
    Path dir;

    @Test
    void environmentVariablesOverrideTheFileWhichOverridesDefaults() throws Exception {
        Path file = dir.resolve("service.properties");
        Files.writeString(file, """
                bootstrap.servers = broker-a:9092, broker-b:9093
                topic.images = plant7.images
                topic.dead-letter = plant7.rejected
                registry.url = http://registry.plant7:8081
                """);
        ServiceConfig config = ServiceConfig.load(file, Map.of(
                "GLAD_TOPIC_IMAGES", "override.images",
                "GLAD_REGISTRY_URL", "https://registry.example:443/api"));

        assertThat(config.bootstrapServers()).isEqualTo("broker-a:9092,broker-b:9093");
        assertThat(config.registryUrl()).isEqualTo("https://registry.example:443/api");
        Topics topics = config.topics();
        assertThat(topics.images()).isEqualTo("override.images");
        assertThat(topics.deadLetter()).isEqualTo("plant7.rejected");
        assertThat(topics.requests()).isEqualTo(Topics.DEFAULTS.requests());
    }

    @Test
    void environmentNameFollowsTheDocumentedRule() {
        assertThat(ServiceConfig.environmentName("bootstrap.servers")).isEqualTo("GLAD_BOOTSTRAP_SERVERS");
        assertThat(ServiceConfig.environmentName("topic.dead-letter")).isEqualTo("GLAD_TOPIC_DEAD_LETTER");
    }

    @Test
    void typedGettersParseTheirForms() {
        ServiceConfig config = ServiceConfig.of(Map.of(
                "window", "30s", "grace", "PT2M", "tick", "250ms",
                "max-pixels", "16_777_216", "retrain", "true", "categories", "bottle, ,screw,"), Map.of());

        assertThat(config.duration("window", Duration.ZERO)).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.duration("grace", Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.duration("tick", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
        assertThat(config.duration("absent", Duration.ofHours(1))).isEqualTo(Duration.ofHours(1));
        assertThat(config.longValue("max-pixels", 1, 1)).isEqualTo(16_777_216L);
        assertThat(config.bool("retrain", false)).isTrue();
        assertThat(config.list("categories", List.of())).containsExactly("bottle", "screw");
    }

    @Test
    void badValuesNameTheSettingItsSourceAndTheExpectedForm() {
        ServiceConfig config = ServiceConfig.of(Map.of("window", "soon", "count", "-3"),
                Map.of("GLAD_BOOTSTRAP_SERVERS", "broker-without-port", "GLAD_REGISTRY_URL", "ftp://x"));

        assertThatThrownBy(() -> config.duration("window", Duration.ZERO))
                .hasMessageContaining("window").hasMessageContaining("'soon'").hasMessageContaining("30s");
        assertThatThrownBy(() -> config.integer("count", 1, 1))
                .hasMessageContaining("count").hasMessageContaining("at least 1");
        assertThatThrownBy(config::bootstrapServers)
                .hasMessageContaining("GLAD_BOOTSTRAP_SERVERS").hasMessageContaining("host:port");
        assertThatThrownBy(config::registryUrl)
                .hasMessageContaining("registry.url").hasMessageContaining("http");
        assertThatThrownBy(() -> config.string("application.id"))
                .hasMessageContaining("missing setting application.id")
                .hasMessageContaining("GLAD_APPLICATION_ID");
    }

    @Test
    void rejectsInvalidTopicNamesAndMissingFiles() {
        ServiceConfig config = ServiceConfig.of(Map.of("topic.results", "results topic"), Map.of());
        assertThatThrownBy(config::topics).hasMessageContaining("topic.results").hasMessageContaining("results topic");
        assertThatThrownBy(() -> ServiceConfig.load(dir.resolve("missing.properties"), Map.of()))
                .hasMessageContaining("missing.properties").hasMessageContaining("does not exist");
    }

    @Test
    void prefixedSettingsPassThroughFromFileAndEnvironment() {
        ServiceConfig config = ServiceConfig.of(
                Map.of("kafka.security.protocol", "SSL", "kafka.client.id", "router", "topic.images", "x"),
                Map.of("GLAD_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "GLAD_KAFKA_SASL_MECHANISM", "PLAIN", "HOME", "/root"));

        assertThat(config.withPrefix("kafka.")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_SSL", "client.id", "router", "sasl.mechanism", "PLAIN"));
    }
}
