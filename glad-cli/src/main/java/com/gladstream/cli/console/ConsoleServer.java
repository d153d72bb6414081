package com.gladstream.cli.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gladstream.schemas.AnomalyResult;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The operator page over HTTP: {@code /} the page, {@code /events} server-sent events (a snapshot,
 * then each change as it arrives), {@code /state} the snapshot as JSON, and
 * {@code /image?result=ID&kind=overlay|reconstruction|input} a held result's image. Images are
 * looked up by result id: a file is served only when a held result names it and it lies inside the
 * heatmap store, so no request can reach any other path. {@code POST /retrain?category=C} sends an
 * operator's retrain request for a category the page shows; it needs the header
 * {@value #RETRAIN_HEADER}, which a page of another origin cannot send without the console's consent
 * (there is no CORS), so no other site can trigger a retrain through an operator's browser.
 */
final class ConsoleServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_EVENT_CLIENTS = 32;
    private static final long HEARTBEAT_SECONDS = 15;
    private static final String POISON = "";
    static final String RETRAIN_HEADER = "X-Glad-Operator";

    private final OperatorView view;
    private final Function<String, String> retrain;
    private final Path heatmapRoot;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Semaphore eventClients = new Semaphore(MAX_EVENT_CLIENTS);
    private final byte[] page;
    private volatile boolean closing;

    /** @param retrain sends a retrain request for a category and returns its event id */
    ConsoleServer(OperatorView view, ConsoleSettings settings, Function<String, String> retrain) throws IOException {
        this.view = view;
        this.retrain = retrain;
        this.heatmapRoot = settings.heatmapDir().toAbsolutePath().normalize();
        try (InputStream in = ConsoleServer.class.getResourceAsStream("console.html")) {
            this.page = in.readAllBytes();
        }
        this.server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 0);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "glad-console-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::page);
        server.createContext("/events", this::events);
        server.createContext("/state", this::state);
        server.createContext("/image", this::image);
        server.createContext("/retrain", this::retrain);
        server.start();
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8088/}. */
    String url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/";
    }

    private void page(HttpExchange ex) throws IOException {
        if (!ex.getRequestURI().getPath().equals("/")) {
            send(ex, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(ex, 200, "text/html; charset=utf-8", page);
    }

    private void state(HttpExchange ex) throws IOException {
        send(ex, 200, "application/json", JSON.writeValueAsBytes(view.snapshot()));
    }

    private void events(HttpExchange ex) throws IOException {
        if (!eventClients.tryAcquire()) {
            send(ex, 503, "text/plain", "too many open pages".getBytes(StandardCharsets.UTF_8));
            return;
        }
        // A page that cannot keep up is disconnected; its EventSource reconnects and starts from a snapshot.
        BlockingQueue<String> queue = new ArrayBlockingQueue<>(1024);
        BiConsumer<String, Object> listener = (event, value) -> {
            if (!queue.offer(message(event, value))) {
                queue.clear();
                queue.offer(POISON);
            }
        };
        try {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            view.listen(listener);
            write(out, message("snapshot", view.snapshot()));
            while (!closing) {
                String next = queue.poll(HEARTBEAT_SECONDS, TimeUnit.SECONDS);
                if (POISON.equals(next)) {
                    break;
                }
                write(out, next == null ? ": keep-alive\n\n" : next);
            }
        } catch (IOException | InterruptedException gone) {
            // the page closed, or the console is stopping
        } finally {
            view.unlisten(listener);
            eventClients.release();
            ex.close();
        }
    }

    private static String message(String event, Object value) {
        try {
            return "event: " + event + "\ndata: " + JSON.writeValueAsString(value) + "\n\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(OutputStream out, String message) throws IOException {
        out.write(message.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void retrain(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("POST")) {
            send(ex, 405, "text/plain", "POST only".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (!"retrain".equals(ex.getRequestHeaders().getFirst(RETRAIN_HEADER))) {
            send(ex, 403, "text/plain", ("the request needs the header " + RETRAIN_HEADER + ": retrain")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        String category = query(ex.getRequestURI()).getOrDefault("category", "");
        if (!view.hasModel(category)) {
            send(ex, 404, "text/plain", ("no model is announced for category '" + category + "'")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        String eventId;
        try {
            eventId = retrain.apply(category);
        } catch (RuntimeException e) {
            send(ex, 503, "text/plain", ("the request could not be sent: " + e.getMessage()).getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(ex, 202, "application/json", JSON.writeValueAsBytes(Map.of("category", category, "request", eventId)));
    }

    private void image(HttpExchange ex) throws IOException {
        Map<String, String> query = query(ex.getRequestURI());
        String id = query.getOrDefault("result", "");
        String kind = query.getOrDefault("kind", "");
        Optional<AnomalyResult> result = view.result(id);
        if (result.isEmpty()) {
            send(ex, 404, "text/plain", ("no result " + id + " is held").getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (kind.equals("input")) {
            Optional<OperatorView.Input> input = view.input(id);
            if (input.isPresent()) {
                send(ex, 200, input.get().contentType(), input.get().bytes());
            } else {
                send(ex, 404, "text/plain", "the input image is not held".getBytes(StandardCharsets.UTF_8));
            }
            return;
        }
        String uri = switch (kind) {
            case "overlay" -> result.get().getHeatmapUri();
            case "reconstruction" -> result.get().getReconstructionUri();
            default -> null;
        };
        Optional<Path> file = storeFile(uri);
        if (file.isEmpty()) {
            send(ex, 404, "text/plain", ("no " + kind + " image in the heatmap store for " + id)
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(ex, 200, "image/png", Files.readAllBytes(file.get()));
    }

    /** The file a result's URI names, if it is a PNG inside the heatmap store (links resolved). */
    private Optional<Path> storeFile(String uri) {
        if (uri == null) {
            return Optional.empty();
        }
        try {
            URI parsed = URI.create(uri);
            if (!"file".equals(parsed.getScheme())) {
                return Optional.empty();
            }
            Path file = Path.of(parsed).toRealPath();
            boolean inside = file.startsWith(heatmapRoot.toRealPath()) && Files.isRegularFile(file)
                    && file.getFileName().toString().endsWith(".png");
            return inside ? Optional.of(file) : Optional.empty();
        } catch (IOException | IllegalArgumentException | UnsupportedOperationException e) {
            return Optional.empty(); // swept, never written, or not a path
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> params = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return params;
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        try {
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.getResponseHeaders().set("Cache-Control", status == 200 && contentType.startsWith("image/")
                    ? "private, max-age=3600" : "no-store");
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        closing = true;
        server.stop(0);
        executor.shutdownNow();
    }
}
