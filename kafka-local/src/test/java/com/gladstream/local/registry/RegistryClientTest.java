package com.gladstream.local.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.registry.HttpSchemaRegistryClient;
import com.gladstream.schemas.registry.IncompatibleSchemaException;
import com.gladstream.schemas.registry.SchemaRegistryException;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link HttpSchemaRegistryClient} against the embedded registry with its in-memory store. */
class RegistryClientTest {

    private static final String SUBJECT = "images-value";
    private static final Schema V1 = ImageEvent.getClassSchema();

    private EmbeddedSchemaRegistry server;
    private HttpSchemaRegistryClient client;

    @BeforeEach
    void start() throws IOException {
        server = EmbeddedSchemaRegistry.inMemory();
        client = new HttpSchemaRegistryClient(server.url());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void registeredSchemaIsFoundByIdAndByLookup() throws IOException {
        int id = client.register(SUBJECT, V1);

        HttpSchemaRegistryClient fresh = new HttpSchemaRegistryClient(server.url());
        assertThat(fresh.getId(SUBJECT, V1)).isEqualTo(id);
        assertThat(fresh.getById(id)).isEqualTo(V1);
        assertThat(fresh.versions(SUBJECT)).containsExactly(1);
    }

    @Test
    void registeringTheSameSchemaAgainKeepsItsIdAndAddsNoVersion() throws IOException {
        int id = client.register(SUBJECT, V1);

        int again = new HttpSchemaRegistryClient(server.url()).register(SUBJECT, V1);

        assertThat(again).isEqualTo(id);
        assertThat(client.versions(SUBJECT)).containsExactly(1);
    }

    @Test
    void theSameSchemaSharesItsIdAcrossSubjectsAndADifferentOneGetsANewId() throws IOException {
        int id = client.register(SUBJECT, V1);

        assertThat(client.register("other-value", V1)).isEqualTo(id);
        assertThat(client.register("other-key", Schema.create(Schema.Type.STRING))).isNotEqualTo(id);
    }

    @Test
    void repeatedCallsAreAnsweredFromTheCache() throws IOException {
        int id = client.register(SUBJECT, V1);
        client.getById(id);
        long before = server.requestsServed();

        for (int i = 0; i < 100; i++) {
            client.register(SUBJECT, V1);
            client.getId(SUBJECT, V1);
            client.getById(id);
        }

        assertThat(server.requestsServed()).isEqualTo(before);
        client.versions(SUBJECT);
        assertThat(server.requestsServed()).as("versions always ask the registry").isEqualTo(before + 1);
    }

    @Test
    void aFreshClientFetchesASchemaByIdOnlyOnce() throws IOException {
        int id = client.register(SUBJECT, V1);
        HttpSchemaRegistryClient reader = new HttpSchemaRegistryClient(server.url());
        long before = server.requestsServed();

        reader.getById(id);
        reader.getById(id);

        assertThat(server.requestsServed()).isEqualTo(before + 1);
    }

    @Test
    void addingAFieldWithoutDefaultIsRefusedUnderBackward() throws IOException {
        client.register(SUBJECT, V1);
        Schema withRequiredField = SchemaVariants.withExtraField(V1, "exposureMs", "\"long\"", null);

        assertThat(client.isCompatible(SUBJECT, withRequiredField)).isFalse();
        assertThatThrownBy(() -> client.register(SUBJECT, withRequiredField))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("error_code 409")
                .hasMessageContaining(SUBJECT)
                .hasMessageContaining("exposureMs");
        assertThat(client.versions(SUBJECT)).containsExactly(1);
    }

    @Test
    void addingAnOptionalFieldIsCompatibleAndBecomesVersionTwo() throws IOException {
        int v1Id = client.register(SUBJECT, V1);
        Schema withOptionalField = SchemaVariants.withExtraField(V1, "exposureMs", "[\"null\", \"long\"]", "null");

        assertThat(client.isCompatible(SUBJECT, withOptionalField)).isTrue();
        int v2Id = client.register(SUBJECT, withOptionalField);

        assertThat(v2Id).isNotEqualTo(v1Id);
        assertThat(client.versions(SUBJECT)).containsExactly(1, 2);
    }

    @Test
    void anythingIsCompatibleWithASubjectThatHasNoVersions() throws IOException {
        assertThat(client.isCompatible("unused-value", V1)).isTrue();
    }

    @Test
    void missingSchemasAreReportedWithConfluentErrorCodes() throws IOException {
        client.register(SUBJECT, V1);

        assertThatThrownBy(() -> client.getId(SUBJECT, Schema.create(Schema.Type.STRING)))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
        assertThatThrownBy(() -> client.getId("no-such-subject", V1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
        assertThatThrownBy(() -> client.getById(Integer.MAX_VALUE))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40403);
                });
    }

    @Test
    void anUnreachableRegistryIsNamedInTheError() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://localhost:" + closedPort;

        assertThatThrownBy(() -> new HttpSchemaRegistryClient(url).getById(1))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(url)
                .hasMessageContaining("unreachable");
    }

    @Test
    void anUnknownIdIsAskedForOnceNotOncePerRecord() throws IOException {
        long before = server.requestsServed();
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> client.getById(987_654))
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.isUnknownSchema()).isTrue());
        }
        assertThat(server.requestsServed() - before).isEqualTo(1);
    }

    @Test
    void aWrongBasePathIsAFailureOfTheRegistryNotAnUnknownSchema() {
        assertThatThrownBy(() -> new HttpSchemaRegistryClient(server.url() + "/not-the-registry").getById(1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.isUnknownSchema()).isFalse();
                });
    }

    @Test
    void anAnswerLargerThanTheBoundIsRefusedUnread() throws IOException {
        HttpServer huge = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // A valid answer, padded far past the bound; streamed so the server never holds it whole.
        huge.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (var out = exchange.getResponseBody()) {
                out.write("{\"schema\": \"\\\"string\\\"\", \"padding\": \"".getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) 'x');
                for (int i = 0; i < 4 * HttpSchemaRegistryClient.MAX_RESPONSE_BYTES / chunk.length; i++) {
                    out.write(chunk);
                }
                out.write("\"}".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException clientGone) {
                // The client stops reading at its bound.
            }
        });
        huge.start();
        try {
            String url = "http://127.0.0.1:" + huge.getAddress().getPort();
            assertThatThrownBy(() -> new HttpSchemaRegistryClient(url).getById(1))
                    .isInstanceOf(SchemaRegistryException.class)
                    .hasMessageContaining("longer than " + HttpSchemaRegistryClient.MAX_RESPONSE_BYTES);
        } finally {
            huge.stop(0);
        }
    }

    @Test
    void aMalformedUrlIsRefusedUpFront() {
        assertThatThrownBy(() -> new HttpSchemaRegistryClient("localhost:8081"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("localhost:8081");
    }
}
