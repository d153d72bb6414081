package com.gladstream.schemas.claimcheck;

import com.gladstream.schemas.config.ServiceConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a claim-check image URI ({@code ImageEvent.imageUri}) may point. A {@code file:} URI must
 * name a file below one of the configured roots (after symbolic links are resolved, and with no
 * {@code ..} segment at all); an {@code http:} or {@code https:} URL must name an allowlisted host
 * exactly. Everything else is refused before anything is opened, so an event cannot make a service
 * read {@code /etc/passwd} or reach {@code 169.254.169.254}. With no roots and no hosts configured
 * (the default) every URI is refused. The streams app and the worker check with the same policy.
 *
 * <p>Settings: {@code images.file-roots} (comma-separated directories) and
 * {@code images.http-hosts} (comma-separated host names).
 */
public final class ImageUriPolicy {

    public static final String FILE_ROOTS = "images.file-roots";
    public static final String HTTP_HOSTS = "images.http-hosts";

    private final List<Path> roots;
    private final Set<String> hosts;

    public ImageUriPolicy(List<Path> roots, Set<String> hosts) {
        this.roots = roots.stream().map(ImageUriPolicy::realDirectory).toList();
        this.hosts = hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    public static ImageUriPolicy from(ServiceConfig config) {
        return new ImageUriPolicy(
                config.list(FILE_ROOTS, List.of()).stream().map(Path::of).toList(),
                Set.copyOf(config.list(HTTP_HOSTS, List.of())));
    }

    /** Where an allowed URI leads: a local file, or a remote URL. */
    public sealed interface Target permits LocalFile, RemoteUrl {}

    public record LocalFile(Path path) implements Target {}

    public record RemoteUrl(URI url) implements Target {}

    /**
     * @throws UriNotAllowedException naming the URI and why it is refused
     */
    public Target check(String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new UriNotAllowedException("imageUri '" + text + "' is not a valid URI: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.contains("..") || path.toLowerCase(Locale.ROOT).contains("%2e%2e")) {
            throw new UriNotAllowedException("imageUri '" + text + "' contains '..'");
        }
        return switch (scheme) {
            case "file" -> new LocalFile(checkFile(uri, text));
            case "http", "https" -> new RemoteUrl(checkUrl(uri, text));
            default -> throw new UriNotAllowedException("imageUri '" + text + "' has "
                    + (scheme.isEmpty() ? "no scheme" : "scheme " + scheme) + "; only file:, http: and https: are read");
        };
    }

    private Path checkFile(URI uri, String text) {
        if (roots.isEmpty()) {
            throw new UriNotAllowedException("imageUri '" + text + "': file: URIs are not allowed (no " + FILE_ROOTS
                    + " configured)");
        }
        if (uri.getAuthority() != null && !uri.getAuthority().isEmpty()) {
            throw new UriNotAllowedException("imageUri '" + text + "' names a remote host in a file: URI");
        }
        Path file;
        try {
            file = Path.of(uri).toRealPath();
        } catch (IllegalArgumentException | IOException e) {
            throw new UriNotAllowedException("imageUri '" + text + "': no readable file there");
        }
        for (Path root : roots) {
            if (file.startsWith(root)) {
                if (!Files.isRegularFile(file)) {
                    throw new UriNotAllowedException("imageUri '" + text + "' is not a regular file");
                }
                return file;
            }
        }
        throw new UriNotAllowedException("imageUri '" + text + "' is outside the allowed roots " + roots);
    }

    private URI checkUrl(URI uri, String text) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.isEmpty() || uri.getRawUserInfo() != null) {
            throw new UriNotAllowedException("imageUri '" + text + "' has no plain host");
        }
        if (!hosts.contains(host)) {
            throw new UriNotAllowedException("imageUri '" + text + "': host " + host + " is not in " + HTTP_HOSTS);
        }
        return uri;
    }

    private static Path realDirectory(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException(FILE_ROOTS + ": " + root + " is not an existing directory");
        }
    }
}
