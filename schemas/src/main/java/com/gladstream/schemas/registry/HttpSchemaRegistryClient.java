package com.gladstream.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.gladstream.schemas.config.ServiceConfig;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * {@link SchemaRegistryClient} over the Confluent REST API (Confluent, Apicurio ccompat, Karapace
 * and the project's embedded registry). Ids and schemas are immutable once registered, so they are
 * cached forever; versions and compatibility always ask the registry. An id the registry does not
 * know is remembered for {@link #UNKNOWN_ID_TTL}, so a stream of records naming it costs one call,
 * not one per record.
 *
 * <p>HTTP basic authentication follows Confluent's {@code basic.auth.user.info} convention: the
 * credentials are {@code user:password}, given explicitly or as the URL's user info. Every call is
 * bounded: {@link #REQUEST_TIMEOUT} from sending to the last byte of the answer, and at most
 * {@link #MAX_RESPONSE_BYTES} of answer. Every failure is a {@link SchemaRegistryException}, except
 * a schema that is not usable Avro, which is a plain {@link IOException} about the record.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    public static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
    public static final Duration UNKNOWN_ID_TTL = Duration.ofSeconds(30);

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_REMEMBERED_UNKNOWN_IDS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String authorization;
    private final HttpClient http;
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<Integer, Long> unknownIdsUntilNanos = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {}

    /**
     * @param baseUrl the registry's root, e.g. {@code http://localhost:8081}; credentials in its
     *                user info ({@code http://user:password@host:8081}) are used for basic auth
     */
    public HttpSchemaRegistryClient(String baseUrl) {
        this(baseUrl, null);
    }

    /** @param userInfo {@code user:password} for HTTP basic auth, or null to send no credentials */
    public HttpSchemaRegistryClient(String baseUrl, String userInfo) {
        URI uri = validBaseUrl(baseUrl);
        String fromUrl = uri.getRawUserInfo() == null ? null : URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
        this.baseUrl = withoutUserInfo(uri);
        this.authorization = basicAuthorization(userInfo != null ? userInfo : fromUrl);
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** The client for {@link ServiceConfig#registryUrl()} with {@link ServiceConfig#registryUserInfo()}. */
    public static HttpSchemaRegistryClient configured(ServiceConfig config) {
        return new HttpSchemaRegistryClient(config.registryUrl(), config.registryUserInfo().orElse(null));
    }

    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public int register(String subject, Schema schema) throws IOException {
        return postForId(subject, schema, "/versions");
    }

    @Override
    public int getId(String subject, Schema schema) throws IOException {
        return postForId(subject, schema, "");
    }

    /**
     * Registering and looking up differ only in the endpoint: both answer with the schema's id, and a
     * cached id saves the call either way, since an id never changes once assigned.
     */
    private int postForId(String subject, Schema schema, String endpoint) throws IOException {
        SubjectSchema key = new SubjectSchema(requireSubject(subject), schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        String path = "/subjects/" + pathSegment(subject) + endpoint;
        return remember(key, requiredInt(send("POST", path, schemaRequest(schema)), "id", "POST " + path));
    }

    @Override
    public Schema getById(int id) throws IOException {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Long unknownUntil = unknownIdsUntilNanos.get(id);
        if (unknownUntil != null && System.nanoTime() - unknownUntil < 0) {
            throw new SchemaRegistryException("schema id " + id + " is not known to the registry at " + baseUrl
                    + " (its answer of less than " + UNKNOWN_ID_TTL.toSeconds() + " s ago)", 404, 40403);
        }
        String path = "/schemas/ids/" + id;
        JsonNode body;
        try {
            body = send("GET", path, null);
        } catch (SchemaRegistryException e) {
            if (e.isUnknownSchema()) {
                if (unknownIdsUntilNanos.size() >= MAX_REMEMBERED_UNKNOWN_IDS) {
                    unknownIdsUntilNanos.clear();
                }
                unknownIdsUntilNanos.put(id, System.nanoTime() + UNKNOWN_ID_TTL.toNanos());
            }
            throw e;
        }
        String type = body.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new IOException("schema id " + id + " at " + baseUrl + " is a " + type + " schema, not Avro");
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(requiredText(body, "schema", "GET " + path));
        } catch (SchemaParseException e) {
            throw new IOException("schema id " + id + " from " + baseUrl + " is not valid Avro: " + e.getMessage(), e);
        }
        Schema raced = schemasById.putIfAbsent(id, schema);
        return raced == null ? schema : raced;
    }

    @Override
    public List<Integer> versions(String subject) throws IOException {
        JsonNode body = send("GET", "/subjects/" + pathSegment(requireSubject(subject)) + "/versions", null);
        if (!body.isArray()) {
            throw unexpected("GET /subjects/" + subject + "/versions", "a JSON array", body);
        }
        List<Integer> versions = new ArrayList<>();
        body.forEach(v -> versions.add(v.asInt()));
        return versions;
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) throws IOException {
        String path = "/compatibility/subjects/" + pathSegment(requireSubject(subject)) + "/versions/latest";
        JsonNode result = send("POST", path, schemaRequest(schema)).get("is_compatible");
        if (result == null || !result.isBoolean()) {
            throw unexpected("POST " + path, "a boolean is_compatible", result);
        }
        return result.booleanValue();
    }

    private int remember(SubjectSchema key, int id) {
        idsBySubjectSchema.put(key, id);
        schemasById.putIfAbsent(id, key.schema());
        return id;
    }

    private JsonNode send(String method, String path, JsonNode body) throws IOException {
        String call = method + " " + path;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", CONTENT_TYPE + ", application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        }
        HttpResponse<byte[]> response;
        try {
            // The request timeout ends at the answer's headers; this wait also bounds reading the body.
            response = http.sendAsync(request.build(), info -> BoundedBody.of(MAX_RESPONSE_BYTES))
                    .get(REQUEST_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while calling the schema registry at " + baseUrl);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new SchemaRegistryException("schema registry at " + baseUrl + " is unreachable (" + call + "): "
                    + cause, SchemaRegistryException.UNREACHABLE, SchemaRegistryException.UNREACHABLE, cause);
        }
        int status = response.statusCode();
        String text = new String(response.body(), StandardCharsets.UTF_8);
        if (status / 100 != 2) {
            throw failure(call, status, text);
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SchemaRegistryException("schema registry at " + baseUrl + " answered " + call
                    + " with a body that is not JSON: " + abbreviate(text), status, status, e);
        }
    }

    /** Surfaces Confluent's {@code {"error_code": ..., "message": ...}} body when there is one. */
    private SchemaRegistryException failure(String call, int status, String body) {
        int errorCode = status;
        String detail = abbreviate(body);
        try {
            JsonNode error = JSON.readTree(body);
            if (error != null && error.has("error_code")) {
                errorCode = error.get("error_code").asInt(status);
                detail = error.path("message").asText(detail);
            }
        } catch (JsonProcessingException notJson) {
            // Proxies and misconfigured URLs answer with HTML or plain text: report it as is.
        }
        String message = "schema registry at " + baseUrl + " rejected " + call + ": HTTP " + status
                + " (error_code " + errorCode + "): " + detail;
        return status == 409
                ? new IncompatibleSchemaException(message, errorCode)
                : new SchemaRegistryException(message, status, errorCode);
    }

    private SchemaRegistryException unexpected(String call, String expected, JsonNode actual) {
        return new SchemaRegistryException("schema registry at " + baseUrl + " answered " + call + " without "
                + expected + ": " + abbreviate(String.valueOf(actual)), 200, 200);
    }

    private int requiredInt(JsonNode body, String field, String call) throws IOException {
        JsonNode value = body.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw unexpected(call, "an integer '" + field + "'", body);
        }
        return value.intValue();
    }

    private String requiredText(JsonNode body, String field, String call) throws IOException {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw unexpected(call, "a string '" + field + "'", body);
        }
        return value.textValue();
    }

    private static ObjectNode schemaRequest(Schema schema) {
        ObjectNode request = JSON.createObjectNode();
        request.put("schema", schema.toString());
        request.put("schemaType", "AVRO");
        return request;
    }

    private static String requireSubject(String subject) {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("subject must not be blank");
        }
        return subject;
    }

    private static String pathSegment(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String basicAuthorization(String userInfo) {
        if (userInfo == null || userInfo.isEmpty()) {
            return null;
        }
        if (userInfo.indexOf(':') < 1) {
            throw new IllegalArgumentException("schema registry credentials must be user:password");
        }
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    private static String withoutUserInfo(URI uri) {
        String authority = uri.getRawAuthority();
        int at = authority.lastIndexOf('@');
        return uri.getScheme() + "://" + authority.substring(at + 1) + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static URI validBaseUrl(String baseUrl) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("schema registry URL must not be blank");
        }
        String trimmed = baseUrl.strip().replaceAll("/+$", "");
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("schema registry URL '" + baseUrl + "' is not a valid URL", e);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "schema registry URL '" + baseUrl + "' must look like http://host:port");
        }
        return uri;
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }
}
