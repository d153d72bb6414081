package com.gladstream.schemas.claimcheck;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;

/**
 * Reads the bytes behind a claim-check URI that {@link ImageUriPolicy} allowed, never more than a
 * byte cap: a file larger than the cap, or a response that streams past it, is refused without
 * being buffered whole. Redirects are not followed (they could leave the allowlist).
 */
public final class ClaimCheckReader {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ImageUriPolicy policy;
    private final long maxBytes;
    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(TIMEOUT)
            .build();

    public ClaimCheckReader(ImageUriPolicy policy, long maxBytes) {
        this.policy = policy;
        this.maxBytes = maxBytes;
    }

    /**
     * @throws UriNotAllowedException if the policy refuses the URI
     * @throws IOException if the bytes cannot be read or exceed the cap
     */
    public byte[] read(String uri) throws IOException {
        ImageUriPolicy.Target target = policy.check(uri);
        if (target instanceof ImageUriPolicy.RemoteUrl remote) {
            return fetch(remote, uri);
        }
        ImageUriPolicy.LocalFile file = (ImageUriPolicy.LocalFile) target;
        if (Files.size(file.path()) > maxBytes) {
            throw new PayloadTooLargeException(uri + ": larger than " + maxBytes + " bytes");
        }
        try (InputStream in = Files.newInputStream(file.path())) {
            return bounded(in, uri);
        }
    }

    private byte[] fetch(ImageUriPolicy.RemoteUrl remote, String uri) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(remote.url()).timeout(TIMEOUT).GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException(uri + ": HTTP " + response.statusCode());
                }
                return bounded(in, uri);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(uri + ": interrupted", e);
        }
    }

    private byte[] bounded(InputStream in, String uri) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (bytes.length > maxBytes) {
            throw new PayloadTooLargeException(uri + ": larger than " + maxBytes + " bytes");
        }
        return bytes;
    }
}
