package com.gladstream.local.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Raw calls to the registry's REST API, checking every answer is Confluent-typed JSON. */
final class HttpJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    record Answer(int status, JsonNode body) {}

    private HttpJson() {}

    /** @param body the JSON request body, or null for none */
    static Answer call(String method, String url, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", RegistryHttpHandler.CONTENT_TYPE)
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("Content-Type")).contains(RegistryHttpHandler.CONTENT_TYPE);
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    static JsonNode get(String url) throws Exception {
        return call("GET", url, null).body();
    }

    static JsonNode put(String url, String body) throws Exception {
        return call("PUT", url, body).body();
    }

    /** A register, lookup or compatibility request body for {@code schema}. */
    static String schemaBody(String schema) {
        return JSON.createObjectNode().put("schema", schema).toString();
    }
}
