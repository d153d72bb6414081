package com.gladstream.local.registry;

import static com.gladstream.local.registry.HttpJson.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gladstream.local.registry.HttpJson.Answer;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The embedded registry's REST API spoken directly, as non-Java clients and curl would. */
class RegistryHttpApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RECORD_V1 =
            "{\"type\":\"record\",\"name\":\"Reading\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}";

    private EmbeddedSchemaRegistry server;

    @BeforeEach
    void start() throws IOException {
        server = EmbeddedSchemaRegistry.inMemory();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void startsWellUnderASecondOnAnEphemeralPort() throws IOException {
        long started = System.nanoTime();
        try (EmbeddedSchemaRegistry another = EmbeddedSchemaRegistry.inMemory()) {
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertThat(millis).isLessThan(1000);
            assertThat(another.port()).isPositive().isNotEqualTo(server.port());
            assertThat(another.url()).isEqualTo("http://127.0.0.1:" + another.port());
        }
    }

    @Test
    void servesSubjectsVersionsAndSchemasById() throws Exception {
        int id = call("POST", "/subjects/readings-value/versions", schemaBody(RECORD_V1)).body().get("id").asInt();
        call("POST", "/subjects/other%2Fwith%20slash/versions", schemaBody(RECORD_V1));

        assertThat(call("GET", "/subjects", null).body()).containsExactly(
                JSON.getNodeFactory().textNode("other/with slash"), JSON.getNodeFactory().textNode("readings-value"));
        assertThat(call("GET", "/subjects/readings-value/versions", null).body().toString()).isEqualTo("[1]");
        JsonNode latest = call("GET", "/subjects/readings-value/versions/latest", null).body();
        assertThat(latest.get("id").asInt()).isEqualTo(id);
        assertThat(latest.get("version").asInt()).isEqualTo(1);
        assertThat(latest.get("subject").asText()).isEqualTo("readings-value");
        assertThat(call("GET", "/subjects/readings-value/versions/1", null).body()).isEqualTo(latest);
        Schema byId = new Schema.Parser().parse(call("GET", "/schemas/ids/" + id, null).body().get("schema").asText());
        assertThat(byId).isEqualTo(new Schema.Parser().parse(RECORD_V1));
        JsonNode lookup = call("POST", "/subjects/readings-value", schemaBody(RECORD_V1)).body();
        assertThat(lookup).isEqualTo(latest);
    }

    @Test
    void compatibilityLevelIsBackwardByDefaultAndConfigurableGloballyAndPerSubject() throws Exception {
        assertThat(call("GET", "/config", null).body().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
        assertThat(call("GET", "/config/s", null).body().get("error_code").asInt()).isEqualTo(40408);

        assertThat(call("PUT", "/config", "{\"compatibility\":\"full\"}").body().get("compatibility").asText())
                .isEqualTo("FULL");
        assertThat(call("GET", "/config/s?defaultToGlobal=true", null).body().get("compatibilityLevel").asText())
                .isEqualTo("FULL");
        call("PUT", "/config/s", "{\"compatibility\":\"NONE\"}");

        assertThat(call("GET", "/config/s", null).body().get("compatibilityLevel").asText()).isEqualTo("NONE");
        assertThat(call("GET", "/config", null).body().get("compatibilityLevel").asText()).isEqualTo("FULL");
    }

    @Test
    void forwardAllowsWhatBackwardRefuses() throws Exception {
        String withRequiredField = "{\"type\":\"record\",\"name\":\"Reading\",\"fields\":["
                + "{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"int\"}]}";
        call("POST", "/subjects/backward/versions", schemaBody(RECORD_V1));
        call("POST", "/subjects/forward/versions", schemaBody(RECORD_V1));
        call("PUT", "/config/forward", "{\"compatibility\":\"FORWARD\"}");

        Answer refused = call("POST", "/subjects/backward/versions", schemaBody(withRequiredField));
        Answer accepted = call("POST", "/subjects/forward/versions", schemaBody(withRequiredField));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().get("error_code").asInt()).isEqualTo(409);
        assertThat(refused.body().get("message").asText()).contains("READER_FIELD_MISSING_DEFAULT_VALUE");
        assertThat(accepted.status()).isEqualTo(200);
    }

    @Test
    void transitiveLevelsCheckEveryEarlierVersion() throws Exception {
        String withoutA = "{\"type\":\"record\",\"name\":\"Reading\",\"fields\":[]}";
        String aAsString = "{\"type\":\"record\",\"name\":\"Reading\",\"fields\":["
                + "{\"name\":\"a\",\"type\":\"string\",\"default\":\"\"}]}";
        for (String subject : List.of("latest-only", "transitive")) {
            call("POST", "/subjects/" + subject + "/versions", schemaBody(RECORD_V1));
            call("POST", "/subjects/" + subject + "/versions", schemaBody(withoutA));
        }
        call("PUT", "/config/transitive", "{\"compatibility\":\"BACKWARD_TRANSITIVE\"}");

        assertThat(call("POST", "/compatibility/subjects/latest-only/versions/latest", schemaBody(aAsString))
                .body().get("is_compatible").asBoolean()).isTrue();
        assertThat(call("POST", "/compatibility/subjects/latest-only/versions/1", schemaBody(aAsString))
                .body().get("is_compatible").asBoolean()).isFalse();
        assertThat(call("POST", "/subjects/transitive/versions", schemaBody(aAsString)).status()).isEqualTo(409);
        assertThat(call("POST", "/subjects/latest-only/versions", schemaBody(aAsString)).status()).isEqualTo(200);
    }

    static Stream<Arguments> badRequests() {
        String valid = schemaBody(RECORD_V1);
        return Stream.of(
                Arguments.of("POST", "/subjects/s/versions", "{not json", 400, 400),
                Arguments.of("POST", "/subjects/s/versions", "{}", 422, 42201),
                Arguments.of("POST", "/subjects/s/versions", schemaBody("{\"type\":\"recrd\"}"), 422, 42201),
                Arguments.of("POST", "/subjects/s/versions",
                        "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}", 422, 42201),
                Arguments.of("GET", "/subjects/s/versions", null, 404, 40401),
                Arguments.of("GET", "/subjects/known/versions/abc", null, 422, 42202),
                Arguments.of("GET", "/subjects/known/versions/0", null, 422, 42202),
                Arguments.of("GET", "/subjects/known/versions/99", null, 404, 40402),
                Arguments.of("GET", "/schemas/ids/123456", null, 404, 40403),
                Arguments.of("GET", "/schemas/ids/x", null, 404, 40403),
                Arguments.of("PUT", "/config", "{\"compatibility\":\"SIDEWAYS\"}", 422, 42203),
                Arguments.of("PUT", "/config", "[]", 400, 400),
                Arguments.of("DELETE", "/subjects/known", null, 405, 405),
                Arguments.of("GET", "/no/such/thing", null, 404, 404),
                Arguments.of("POST", "/compatibility/subjects/known/versions/7", valid, 404, 40402));
    }

    @ParameterizedTest(name = "{0} {1} -> {3} / {4}")
    @MethodSource("badRequests")
    void badRequestsGetConfluentErrorBodiesAndTheServerKeepsServing(
            String method, String path, String body, int status, int errorCode) throws Exception {
        call("POST", "/subjects/known/versions", schemaBody(RECORD_V1));

        Answer answer = call(method, path, body);

        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.body().get("error_code").asInt()).isEqualTo(errorCode);
        assertThat(answer.body().get("message").asText()).isNotBlank();
        assertThat(call("GET", "/subjects/known/versions", null).status()).isEqualTo(200);
    }

    private Answer call(String method, String path, String body) throws Exception {
        return HttpJson.call(method, server.url() + path, body);
    }
}
