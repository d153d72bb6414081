package com.gladstream.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.gladstream.glad.data.MvtecCategory;
import com.gladstream.glad.data.Sample;
import com.gladstream.glad.data.synthetic.SyntheticCategoryGenerator;
import com.gladstream.glad.data.synthetic.SyntheticCategoryOptions;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.training.CategoryTrainer;
import com.gladstream.glad.training.TrainingRecipe;
import com.gladstream.local.broker.EmbeddedKafkaBroker;
import com.gladstream.local.registry.EmbeddedSchemaRegistry;
import com.gladstream.local.registry.KafkaSchemaStore;
import com.gladstream.schemas.ImageEncoding;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.SampleLabel;
import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.schemas.config.Topics;
import com.gladstream.streams.StreamsService;
import com.gladstream.worker.InferenceWorker;
import com.gladstream.worker.kafka.KafkaClients;
import com.gladstream.worker.kafka.WorkerSerdes;
import com.gladstream.worker.models.ModelAnnouncer;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator page in a real browser: embedded broker and registry, the streams app, a worker
 * serving a briefly trained {@code tiny} model, and the console; headless Chromium opens the page
 * before any image is sent, and the results, a dead letter, per-camera statistics and the model
 * must then arrive by server-sent events, with heatmap images that load, and no page reload; the
 * model row's retrain button sends a request that the row then shows.
 */
class ConsoleBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String CATEGORY = "tiles";
    private static final int FRAMES = 8;

    @TempDir
    Path work;

    @Test
    void pageShowsResultsAsTheyArriveWithHeatmapsThatLoad() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "skipped: the browser test needs Debian's chromium and chromium-driver (" + CHROMIUM + ", "
                        + CHROMEDRIVER + "); install them with apt-get install chromium chromium-driver (.ci/run does)");
        Path data = work.resolve("data").resolve(CATEGORY);
        SyntheticCategoryGenerator.write(data,
                new SyntheticCategoryOptions(CATEGORY, SyntheticCategoryOptions.Kind.TEXTURE, 12, 4, 1, 32, 5));
        MvtecCategory category = MvtecCategory.open(data);

        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(work.resolve("kafka"), 0, 0, Map.of())) {
            broker.start();
            try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(0,
                    new KafkaSchemaStore(broker.bootstrapServers(), KafkaSchemaStore.DEFAULT_TOPIC))) {
                ServiceConfig config = config(broker.bootstrapServers(), registry.url());
                runServicesAndBrowse(config, category);
            }
        }
    }

    private void runServicesAndBrowse(ServiceConfig config, MvtecCategory category) throws Exception {
        Topics topics = config.topics();
        KafkaClients clients = new KafkaClients(config);
        WorkerSerdes serdes = WorkerSerdes.from(config);
        try (StreamsService streams = new StreamsService(config); InferenceWorker worker = new InferenceWorker(config)) {
            streams.start();
            String version;
            try (GladModel model = CategoryTrainer.trainAndCalibrate(category.root(), new TrainingRecipe("tiny", 40, 8, 0,
                    7L, 3, false, null, "unet-encoder", 300, 4, null), new PrintWriter(new StringWriter()))) {
                version = new ModelAnnouncer(clients, serdes, topics.models(), worker.settings().modelStore())
                        .publish(model, Map.of(), category.trainSamples().size()).getVersion();
            }
            worker.start();
            try (OperatorConsole console = OperatorConsole.start(config, ConsoleSettings.from(config));
                    KafkaProducer<byte[], byte[]> producer = clients.producer()) {
                assertThat(console.url()).startsWith("http://127.0.0.1:");
                checkImagesAreServedOnlyByResultId(console.url());
                WebDriver browser = browser();
                try {
                    browser.get(console.url());
                    JavascriptExecutor js = (JavascriptExecutor) browser;
                    js.executeScript("window.openedOnce = 'yes'");
                    assertThat(browser.findElements(By.cssSelector("tr.result-row"))).isEmpty();

                    List<Sample> samples = category.testSamples();
                    for (int n = 0; n < FRAMES; n++) {
                        ImageEvent event = event("frame-" + n, samples.get(n % samples.size()), n);
                        send(producer, topics, serdes, event);
                        Thread.sleep(400); // frames over a few statistics windows of 1 s
                    }
                    send(producer, topics, serdes, corrupt());
                    producer.flush();

                    // Rows are re-rendered as events arrive: a row found and then replaced is looked up again.
                    WebDriverWait wait = new WebDriverWait(browser, Duration.ofMinutes(3), Duration.ofMillis(250));
                    wait.ignoring(StaleElementReferenceException.class);
                    wait.until(b -> b.findElements(By.cssSelector("tr.result-row")).size() >= FRAMES);
                    wait.until(b -> b.findElements(By.cssSelector("tr.dead-letter-row")).stream()
                            .anyMatch(row -> row.getText().contains("CORRUPT_IMAGE")));
                    wait.until(b -> !b.findElements(By.cssSelector("tr.camera-row")).isEmpty());
                    wait.until(b -> b.findElements(By.cssSelector("tr.model-row")).stream()
                            .anyMatch(row -> row.getText().contains(CATEGORY) && row.getText().contains(version)));
                    // The retrain button sends an operator request; the row then shows it from the control topic.
                    browser.findElement(By.cssSelector("tr.model-row button.retrain")).click();
                    wait.until(b -> b.findElements(By.cssSelector("tr.model-row")).stream()
                            .anyMatch(row -> row.getText().contains("requested (operator)")));
                    for (String kind : List.of("heatmap", "reconstruction", "input")) {
                        wait.until(b -> Boolean.TRUE.equals(js.executeScript(
                                "const img = document.querySelector('img." + kind + "');"
                                        + " return img != null && img.complete && img.naturalWidth > 0;")));
                    }
                    Object widths = js.executeScript("const row = document.querySelector('tr.result-row');"
                            + " return [row.querySelector('img.heatmap').naturalWidth, row.querySelector('img.input').naturalWidth];");
                    assertThat((List<?>) widths).as("the overlay is drawn over the input, at its size")
                            .hasSize(2).allSatisfy(w -> assertThat(((Number) w).intValue()).isPositive())
                            .satisfies(w -> assertThat(w.get(0)).isEqualTo(w.get(1)));
                    assertThat(js.executeScript("return window.openedOnce")).as("the page never reloaded").isEqualTo("yes");
                    Files.write(Path.of("target", "console-browser-test.png"),
                            ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
                } finally {
                    browser.quit();
                }
            }
        }
    }

    /** The image endpoint answers for held result ids only, whatever path a caller puts in the id. */
    private static void checkImagesAreServedOnlyByResultId(String base) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String query : List.of("result=..%2F..%2F..%2Fetc%2Fpasswd&kind=overlay",
                "result=%2Fetc%2Fpasswd&kind=input", "result=frame-0&kind=..%2F..%2Fetc%2Fpasswd")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "image?" + query)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(query).isEqualTo(404);
            assertThat(r.body()).doesNotContain("root:");
        }
    }

    private static WebDriver browser() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1000",
                "--user-data-dir=" + Files.createTempDirectory("glad-console-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private ServiceConfig config(String bootstrap, String registryUrl) {
        Map<String, String> s = new HashMap<>();
        s.put(ServiceConfig.BOOTSTRAP_SERVERS, bootstrap);
        s.put(ServiceConfig.REGISTRY_URL, registryUrl);
        s.put("application.id", "console-test-streams");
        s.put("streams.state.dir", work.resolve("streams").toString());
        s.put("streams.commit.interval.ms", "100");
        s.put("topics.partitions", "2");
        s.put("validation.categories", CATEGORY);
        s.put("statistics.window", "1s");
        s.put("statistics.grace", "0s");
        s.put("models.dir", work.resolve("models").toString());
        s.put("heatmaps.dir", work.resolve("heatmaps").toString());
        s.put("worker.id", "console-test-worker");
        s.put("worker.http.port", "-1");
        s.put("batch.max-wait", "100ms");
        s.put("console.http.port", "0");
        return ServiceConfig.of(s, Map.of());
    }

    private static ImageEvent event(String id, Sample sample, int n) throws Exception {
        byte[] png = Files.readAllBytes(sample.path());
        var image = javax.imageio.ImageIO.read(sample.path().toFile());
        return ImageEvent.newBuilder().setEventId(id).setCameraId("camera-" + (1 + n % 2)).setCategory(CATEGORY)
                .setCaptureTime(Instant.now()).setImageBytes(ByteBuffer.wrap(png)).setEncoding(ImageEncoding.PNG)
                .setWidth(image.getWidth()).setHeight(image.getHeight()).setLabel(SampleLabel.UNLABELED).build();
    }

    private static ImageEvent corrupt() {
        byte[] notPng = "\u0089PNG but then nothing an image decoder can read".getBytes(StandardCharsets.ISO_8859_1);
        return ImageEvent.newBuilder().setEventId("corrupt-1").setCameraId("camera-1").setCategory(CATEGORY)
                .setCaptureTime(Instant.now()).setImageBytes(ByteBuffer.wrap(notPng)).setEncoding(ImageEncoding.PNG)
                .setWidth(32).setHeight(32).setLabel(SampleLabel.UNLABELED).build();
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, Topics topics, WorkerSerdes serdes, ImageEvent e) {
        producer.send(new ProducerRecord<>(topics.images(), e.getCameraId().getBytes(StandardCharsets.UTF_8),
                serdes.images().serializer().serialize(topics.images(), e)));
    }
}
