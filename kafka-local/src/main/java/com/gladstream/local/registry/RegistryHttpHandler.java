package com.gladstream.local.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.gladstream.local.registry.StoredEntry.SchemaVersion;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps the Confluent REST paths onto {@link SchemaRegistry}. Every failure, including malformed
 * requests and store errors, becomes a JSON {@code {"error_code": ..., "message": ...}} answer.
 * With credentials configured, a request without them is answered 401 (error code 40101) before
 * anything else is read.
 */
final class RegistryHttpHandler implements HttpHandler {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(RegistryHttpHandler.class);

    private final SchemaRegistry registry;
    private final byte[] expectedAuthorization;
    private final LongAdder requests = new LongAdder();

    private record Response(int status, Object body) {}

    /** @param userInfo {@code user:password} every request must present, or null for none */
    RegistryHttpHandler(SchemaRegistry registry, String userInfo) {
        this.registry = registry;
        this.expectedAuthorization = userInfo == null ? null : ("Basic " + Base64.getEncoder()
                .encodeToString(userInfo.getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8);
    }

    long requestsServed() {
        return requests.sum();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        requests.increment();
        Response response;
        try {
            authenticate(exchange);
            response = route(exchange);
        } catch (RegistryException e) {
            response = error(e.httpStatus(), e.errorCode(), e.getMessage());
        } catch (IOException e) {
            log.warn("schema store failed during {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            response = error(500, 50001, "Error in the backend data store: " + e.getMessage());
        } catch (RuntimeException e) {
            log.error("unexpected failure during {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            response = error(500, 50001, "Internal error: " + e);
        }
        byte[] body = JSON.writeValueAsBytes(response.body());
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        if (response.status() == 401) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"glad-schema-registry\"");
        }
        exchange.sendResponseHeaders(response.status(), body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void authenticate(HttpExchange exchange) throws RegistryException {
        if (expectedAuthorization == null) {
            return;
        }
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        boolean valid = given != null
                && MessageDigest.isEqual(expectedAuthorization, given.trim().getBytes(StandardCharsets.UTF_8));
        if (!valid) {
            throw new RegistryException(401, 40101, "Unauthorized: this registry needs HTTP basic auth with its"
                    + " credentials (basic.auth.user.info)");
        }
    }

    private Response route(HttpExchange exchange) throws RegistryException, IOException {
        String method = exchange.getRequestMethod();
        List<String> path = segments(exchange.getRequestURI().getRawPath());
        String query = exchange.getRequestURI().getRawQuery();
        int n = path.size();
        String root = n == 0 ? "" : path.get(0);
        switch (root) {
            case "":
                return onlyFor("GET", method, () -> JSON.createObjectNode());
            case "subjects":
                if (n == 1) {
                    return onlyFor("GET", method, registry::subjects);
                }
                String subject = path.get(1);
                if (n == 2) {
                    return onlyFor("POST", method, () -> versionJson(registry.lookup(subject, schemaText(exchange))));
                }
                if (n == 3 && path.get(2).equals("versions")) {
                    return "POST".equals(method)
                            ? ok(idJson(registry.register(subject, schemaText(exchange))))
                            : onlyFor("GET", method, () -> registry.versions(subject));
                }
                if (n == 4 && path.get(2).equals("versions")) {
                    return onlyFor("GET", method, () -> versionJson(registry.version(subject, path.get(3))));
                }
                break;
            case "schemas":
                if (n == 3 && path.get(1).equals("ids")) {
                    return onlyFor("GET", method, () -> schemaJson(registry.schema(schemaId(path.get(2)))));
                }
                break;
            case "config":
                if (n <= 2) {
                    return config(exchange, n == 2 ? path.get(1) : null, query);
                }
                break;
            case "compatibility":
                if (n == 5 && path.get(1).equals("subjects") && path.get(3).equals("versions")) {
                    return onlyFor("POST", method, () -> compatibilityJson(
                            registry.compatibilityViolations(path.get(2), path.get(4), schemaText(exchange))));
                }
                break;
            default:
                break;
        }
        throw new RegistryException(404, 404, "HTTP 404 Not Found: no such resource " + exchange.getRequestURI().getPath());
    }

    private Response config(HttpExchange exchange, String subject, String query) throws RegistryException, IOException {
        String method = exchange.getRequestMethod();
        if ("PUT".equals(method)) {
            JsonNode level = body(exchange).get("compatibility");
            if (level == null || !level.isTextual()) {
                throw new RegistryException(422, 42203, "Request body must be {\"compatibility\": \"<LEVEL>\"}");
            }
            CompatibilityLevel parsed = CompatibilityLevel.parse(level.textValue());
            registry.setLevel(subject, parsed);
            return ok(JSON.createObjectNode().put("compatibility", parsed.name()));
        }
        return onlyFor("GET", method, () -> {
            CompatibilityLevel level;
            if (subject == null) {
                level = registry.globalLevel();
            } else if (registry.subjectLevel(subject).isPresent()) {
                level = registry.subjectLevel(subject).get();
            } else if (query != null && query.contains("defaultToGlobal=true")) {
                level = registry.globalLevel();
            } else {
                throw new RegistryException(404, 40408,
                        "Subject '" + subject + "' does not have subject-level compatibility configured");
            }
            return JSON.createObjectNode().put("compatibilityLevel", level.name());
        });
    }

    @FunctionalInterface
    private interface Action {
        Object run() throws RegistryException, IOException;
    }

    private static Response onlyFor(String allowed, String method, Action action) throws RegistryException, IOException {
        if (!allowed.equals(method)) {
            throw new RegistryException(405, 405, "HTTP 405 Method Not Allowed: use " + allowed);
        }
        return ok(action.run());
    }

    private static Response ok(Object body) {
        return new Response(200, body);
    }

    private static Response error(int status, int errorCode, String message) {
        return new Response(status, JSON.createObjectNode().put("error_code", errorCode).put("message", message));
    }

    /** The Avro schema text of a register, lookup or compatibility request. */
    private static String schemaText(HttpExchange exchange) throws RegistryException, IOException {
        JsonNode request = body(exchange);
        String type = request.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new RegistryException(422, 42201, "Invalid schema: only AVRO schemas are supported, not " + type);
        }
        if (request.path("references").size() > 0) {
            throw new RegistryException(422, 42201, "Invalid schema: schema references are not supported");
        }
        JsonNode schema = request.get("schema");
        if (schema == null || !schema.isTextual()) {
            throw new RegistryException(422, 42201, "Invalid schema: the request needs a \"schema\" string field");
        }
        return schema.textValue();
    }

    private static JsonNode body(HttpExchange exchange) throws RegistryException, IOException {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new RegistryException(413, 413, "Request body larger than " + MAX_BODY_BYTES + " bytes");
        }
        try {
            JsonNode json = JSON.readTree(bytes);
            if (json == null || !json.isObject()) {
                throw new RegistryException(400, 400, "Request body must be a JSON object");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new RegistryException(400, 400, "Request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static int schemaId(String text) throws RegistryException {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw RegistryException.schemaNotFound("with id '" + text + "'");
        }
    }

    /**
     * Path segments, each percent-decoded on its own so that a subject may contain an encoded '/'.
     * The JDK server has already refused malformed escapes with 400.
     */
    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (!raw.isEmpty()) {
                segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    private static ObjectNode idJson(SchemaVersion version) {
        return JSON.createObjectNode().put("id", version.id());
    }

    private static ObjectNode versionJson(SchemaVersion version) {
        return JSON.createObjectNode()
                .put("subject", version.subject())
                .put("version", version.version())
                .put("id", version.id())
                .put("schema", version.schema());
    }

    private static ObjectNode schemaJson(String schema) {
        return JSON.createObjectNode().put("schema", schema);
    }

    private static ObjectNode compatibilityJson(List<String> violations) {
        ObjectNode result = JSON.createObjectNode().put("is_compatible", violations.isEmpty());
        violations.forEach(result.putArray("messages")::add);
        return result;
    }
}
