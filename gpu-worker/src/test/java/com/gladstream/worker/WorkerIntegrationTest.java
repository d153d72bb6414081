package com.gladstream.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.gladstream.glad.data.Sample;
import com.gladstream.glad.model.GladModel;
import com.gladstream.schemas.AnomalyResult;
import com.gladstream.schemas.Decision;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.InferenceRequest;
import com.gladstream.schemas.ModelPublished;
import com.gladstream.schemas.RejectReason;
import com.gladstream.schemas.RejectedImage;
import com.gladstream.streams.StreamsService;
import com.gladstream.worker.heatmaps.NpyFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import com.gladstream.worker.batching.Batching;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/** The worker on a real broker and schema registry: delivery, dead letters, hot swap, scale-out, back-pressure. */
class WorkerIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(300);

    @TempDir
    Path root;

    @Test
    void imagesThroughTheStreamsAppBecomeOneResultEachWithHeatmapFiles() throws Exception {
        Testbed bed = new Testbed(root);
        try (GladModel model = TinyCategory.model(1)) {
            ModelPublished published = bed.publish(model);
            List<ImageEvent> events = new ArrayList<>();
            for (Sample sample : TinyCategory.testSamples()) {
                events.add(Testbed.event(TinyCategory.NAME, TinyCategory.bytes(sample.path())).build());
            }
            ImageEvent corrupt = Testbed.event(TinyCategory.NAME, "not a png".getBytes(StandardCharsets.UTF_8)).build();
            Map<String, String> streamsSettings = new HashMap<>(bed.settings());
            streamsSettings.put("application.id", "streams-" + bed.topics.requests());
            streamsSettings.put("streams.state.dir", root.resolve("streams").toString());
            streamsSettings.put("streams.commit.interval.ms", "100");
            try (StreamsService streams = new StreamsService(bed.config(streamsSettings));
                    InferenceWorker worker = new InferenceWorker(bed.config(Map.of()))) {
                streams.start();
                worker.start();
                List<ProducerRecord<byte[], byte[]>> images = new ArrayList<>();
                for (ImageEvent e : concat(events, corrupt)) {
                    images.add(new ProducerRecord<>(bed.topics.images(), e.getCameraId().getBytes(StandardCharsets.UTF_8),
                            bed.serdes.images().serializer().serialize(bed.topics.images(), e)));
                }
                bed.produce(images);
                Testbed.Output out = bed.read(o -> o.size() >= events.size() + 1, DEADLINE);

                assertThat(out.results()).extracting(AnomalyResult::getEventId)
                        .containsExactlyInAnyOrderElementsOf(events.stream().map(ImageEvent::getEventId).toList());
                assertThat(out.deadLetters()).singleElement().satisfies(d -> {
                    assertThat(d.getEventId()).isEqualTo(corrupt.getEventId());
                    assertThat(d.getReason()).isEqualTo(RejectReason.CORRUPT_IMAGE);
                });
                for (AnomalyResult r : out.results()) {
                    assertThat(r.getModelVersion()).isEqualTo(published.getVersion());
                    assertThat(r.getThreshold()).isEqualTo(published.getThreshold());
                    assertThat(r.getDecision()).isEqualTo(r.getScore() > r.getThreshold() ? Decision.ANOMALOUS : Decision.NORMAL);
                    Path overlay = Path.of(URI.create(r.getHeatmapUri()));
                    assertThat(ImageIO.read(overlay.toFile()).getWidth()).isEqualTo(32);
                    assertThat(NpyFormat.read(Path.of(URI.create(r.getMapUri()))).width()).isEqualTo(32);
                    assertThat(Path.of(URI.create(r.getReconstructionUri()))).isRegularFile();
                    assertThat(r.getTimings().getBatchSize()).isBetween(1, 4);
                }
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + worker.httpPort() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).contains("\"status\":\"UP\"").contains(published.getVersion());
                String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.httpPort() + "/metrics"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("glad_worker_batch_size").contains("glad_worker_consumer_lag")
                        .contains("glad_worker_results_total " + events.size() + ".0");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Batching.class)
    void badInputThatGotPastValidationIsDeadLetteredAndTheWorkerKeepsServing(Batching batching) throws Exception {
        Testbed bed = new Testbed(root);
        Path outside = Files.writeString(root.resolve("secret.png"), "secret");
        Path allowed = Files.createDirectories(root.resolve("claims"));
        byte[] good = TinyCategory.bytes(TinyCategory.testSamples().get(0).path());
        try (GladModel model = TinyCategory.model(1)) {
            bed.publish(model);
            Map<String, RejectReason> expected = new HashMap<>();
            List<InferenceRequest> requests = new ArrayList<>();
            Function<ImageEvent, InferenceRequest> add = e -> {
                InferenceRequest r = Testbed.request(e);
                requests.add(r);
                return r;
            };
            expected.put(add.apply(Testbed.event(TinyCategory.NAME, new byte[] {1, 2, 3}).build()).getImage().getEventId(),
                    RejectReason.CORRUPT_IMAGE);
            expected.put(add.apply(Testbed.event(TinyCategory.NAME, BadImages.pngHeader(50_000, 50_000)).build())
                    .getImage().getEventId(), RejectReason.TOO_LARGE);
            for (String uri : List.of("file:///etc/passwd", outside.toUri().toString(),
                    allowed.toUri() + "../secret.png", "http://169.254.169.254/latest/meta-data")) {
                expected.put(add.apply(Testbed.event(TinyCategory.NAME, null).setImageUri(uri).build())
                        .getImage().getEventId(), RejectReason.URI_NOT_ALLOWED);
            }
            expected.put(add.apply(Testbed.event("no-such-category", good).build()).getImage().getEventId(),
                    RejectReason.NO_MODEL);
            InferenceRequest valid = add.apply(Testbed.event(TinyCategory.NAME, good).build());
            try (InferenceWorker worker = new InferenceWorker(bed.config(Map.of("images.file-roots", allowed.toString(),
                    "inference.batching", batching.settingValue())))) {
                worker.start();
                bed.produceRequests(requests);
                bed.produce(List.of(new ProducerRecord<>(bed.topics.requests(), "x".getBytes(StandardCharsets.UTF_8),
                        "garbage".getBytes(StandardCharsets.UTF_8))));
                Testbed.Output out = bed.read(o -> o.size() >= requests.size() + 1, DEADLINE);

                assertThat(out.results()).extracting(AnomalyResult::getEventId).containsExactly(valid.getImage().getEventId());
                Map<String, RejectReason> reasons = out.deadLetters().stream().filter(d -> d.getEventId() != null)
                        .collect(Collectors.toMap(RejectedImage::getEventId, RejectedImage::getReason));
                assertThat(reasons).isEqualTo(expected);
                assertThat(out.deadLetters()).filteredOn(d -> d.getEventId() == null).singleElement()
                        .satisfies(d -> assertThat(d.getReason()).isEqualTo(RejectReason.UNDECODABLE_RECORD));
                assertThat(out.deadLetters()).allSatisfy(d -> assertThat(d.getOriginalValue()).isNotNull());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Batching.class)
    void aModelPublishedMidStreamIsSwappedInWithoutFailingARequest(Batching batching) throws Exception {
        Testbed bed = new Testbed(root);
        byte[] png = TinyCategory.bytes(TinyCategory.testSamples().get(1).path());
        try (GladModel first = TinyCategory.model(1); GladModel second = TinyCategory.model(2);
                InferenceWorker worker = new InferenceWorker(bed.config(Map.of("inference.batching", batching.settingValue())))) {
            String v1 = bed.publish(first).getVersion();
            worker.start();
            List<InferenceRequest> before = requests(png, 12);
            bed.produceRequests(before);
            String v2 = bed.publish(second).getVersion();
            awaitVersion(worker, v2);
            List<InferenceRequest> after = requests(png, 12);
            bed.produceRequests(after);
            Testbed.Output out = bed.read(o -> o.size() >= 24, DEADLINE);

            assertThat(out.deadLetters()).isEmpty();
            assertThat(out.results()).hasSize(24);
            Map<String, String> versions = out.results().stream()
                    .collect(Collectors.toMap(AnomalyResult::getEventId, AnomalyResult::getModelVersion));
            assertThat(after).allSatisfy(r -> assertThat(versions.get(r.getImage().getEventId())).isEqualTo(v2));
            assertThat(before).allSatisfy(r -> assertThat(versions.get(r.getImage().getEventId())).isIn(v1, v2));
            // Once an image began on the new version, none began on the old one.
            Map<String, InferenceRequest> byId = byEventId(concat(before, after));
            long lastOnOld = out.results().stream().filter(r -> r.getModelVersion().equals(v1))
                    .mapToLong(r -> admittedAt(r, byId)).max().orElse(Long.MIN_VALUE);
            long firstOnNew = out.results().stream().filter(r -> r.getModelVersion().equals(v2))
                    .mapToLong(r -> admittedAt(r, byId)).min().orElseThrow();
            assertThat(lastOnOld).isLessThanOrEqualTo(firstOnNew);
            if (batching == Batching.STATIC) {
                // Static batches run one after another: once one ran on the new version, no later result is on the old.
                // (A continuous batch on the old version finishes its images while the new version's batch runs.)
                List<AnomalyResult> inOrder = out.results().stream()
                        .sorted(Comparator.comparing(AnomalyResult::getProducedAt)).toList();
                int firstNew = inOrder.stream().map(AnomalyResult::getModelVersion).toList().indexOf(v2);
                assertThat(inOrder.subList(firstNew, inOrder.size()))
                        .allSatisfy(r -> assertThat(r.getModelVersion()).isEqualTo(v2));
            }
        }
    }

    @Test
    void twoWorkersShareThePartitionsAndStoppingOneLosesNothing() throws Exception {
        Testbed bed = new Testbed(root);
        byte[] png = TinyCategory.bytes(TinyCategory.testSamples().get(2).path());
        List<String> categories = onePerPartition(3);
        List<InferenceRequest> requests = new ArrayList<>();
        try (GladModel model = TinyCategory.model(1)) {
            for (String category : categories) {
                try (GladModel renamed = model.withMetadata(model.metadata().withCategory(category))) {
                    bed.publish(renamed);
                }
            }
        }
        for (int i = 0; i < 60; i++) {
            requests.add(Testbed.request(Testbed.event(categories.get(i % categories.size()), png).build()));
        }
        InferenceWorker stays = new InferenceWorker(bed.config(Map.of("worker.id", "stays")));
        InferenceWorker leaves = new InferenceWorker(bed.config(Map.of("worker.id", "leaves")));
        try (stays; leaves) {
            stays.start();
            leaves.start();
            awaitSharedPartitions(stays, leaves, 3);
            bed.produceRequests(requests.subList(0, 30));
            awaitResults(leaves, 4);
            leaves.close();
            bed.produceRequests(requests.subList(30, requests.size()));
            Testbed.Output out = bed.read(o -> o.size() >= requests.size(), DEADLINE);

            assertThat(out.deadLetters()).isEmpty();
            assertThat(out.results()).extracting(AnomalyResult::getEventId)
                    .containsExactlyInAnyOrderElementsOf(requests.stream().map(r -> r.getImage().getEventId()).toList());
            assertThat(leaves.metrics().resultsCommitted()).isPositive();
            assertThat(stays.metrics().resultsCommitted()).isPositive();
        }
    }

    @Test
    void aProducerFarFasterThanTheWorkerWaitsInKafkaNotInTheHeap() throws Exception {
        Testbed bed = new Testbed(root);
        byte[] png = TinyCategory.bytes(TinyCategory.testSamples().get(3).path());
        int total = 160;
        int maxInFlight = 8;
        try (GladModel model = TinyCategory.model(1);
                InferenceWorker worker = new InferenceWorker(bed.config(Map.of("worker.max-in-flight", "" + maxInFlight)))) {
            bed.publish(model);
            worker.start();
            AtomicLong maxLag = new AtomicLong();
            AtomicLong maxInFlightSeen = new AtomicLong();
            AtomicLong maxHeap = new AtomicLong();
            Runtime runtime = Runtime.getRuntime();
            long heapBefore = usedHeapAfterGc(runtime);
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    maxLag.accumulateAndGet(worker.metrics().lag(), Math::max);
                    maxInFlightSeen.accumulateAndGet(inFlight(worker), Math::max);
                    maxHeap.accumulateAndGet(runtime.totalMemory() - runtime.freeMemory(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.start();
            long produceStart = System.nanoTime();
            bed.produceRequests(requests(png, total));
            double produceSeconds = (System.nanoTime() - produceStart) / 1e9;
            Testbed.Output out = bed.read(o -> o.size() >= total, DEADLINE);
            awaitLag(worker, 0);
            sampler.interrupt();
            sampler.join();

            double inferSeconds = worker.metrics().imagesInferred() == 0 ? 0 : total / imagesPerSecond(worker, out);
            assertThat(out.results()).hasSize(total);
            assertThat(inferSeconds).as("the producer outran the worker at least tenfold").isGreaterThan(10 * produceSeconds);
            assertThat(maxLag.get()).as("lag grew").isGreaterThan(total / 2);
            assertThat(worker.metrics().lag()).isZero();
            assertThat(maxInFlightSeen.get()).as("records taken from Kafka at once").isLessThanOrEqualTo(2L * maxInFlight);
            // Inline images of ~3 KB each; the bound is on what the worker holds beyond its baseline.
            assertThat(maxHeap.get() - heapBefore).as("heap growth while %d requests waited", total)
                    .isLessThan(512L << 20);
            System.out.printf("back-pressure: produced %d in %.2f s, worker took %.1f s, max lag %d, max in flight %d,"
                    + " heap growth %d MiB%n", total, produceSeconds, inferSeconds, maxLag.get(), maxInFlightSeen.get(),
                    (maxHeap.get() - heapBefore) >> 20);
        }
    }

    /** When the result's inference began (epoch millis): its request's validation time plus its queue wait. */
    static long admittedAt(AnomalyResult result, Map<String, InferenceRequest> requestsById) {
        return requestsById.get(result.getEventId()).getValidatedAt().toEpochMilli() + result.getTimings().getQueueMillis();
    }

    static Map<String, InferenceRequest> byEventId(List<InferenceRequest> requests) {
        return requests.stream().collect(Collectors.toMap(r -> r.getImage().getEventId(), r -> r));
    }

    /** Category names whose keys land on each of the first {@code partitions} partitions, as the default partitioner places them. */
    private static List<String> onePerPartition(int partitions) {
        Map<Integer, String> byPartition = new HashMap<>();
        for (int i = 0; byPartition.size() < partitions; i++) {
            String name = TinyCategory.NAME + "-" + i;
            int partition = Utils.toPositive(Utils.murmur2(name.getBytes(StandardCharsets.UTF_8))) % partitions;
            byPartition.putIfAbsent(partition, name);
        }
        return List.copyOf(byPartition.values());
    }

    private static double imagesPerSecond(InferenceWorker worker, Testbed.Output out) {
        List<Long> produced = out.results().stream().map(r -> r.getProducedAt().toEpochMilli()).sorted().toList();
        double span = Math.max(1, produced.get(produced.size() - 1) - produced.get(0)) / 1000.0;
        return produced.size() / span;
    }

    private static long inFlight(InferenceWorker worker) {
        String line = worker.metrics().scrape().lines().filter(l -> l.startsWith("glad_worker_in_flight ")).findFirst()
                .orElse("x 0");
        return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1));
    }

    private static long usedHeapAfterGc(Runtime runtime) {
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static List<InferenceRequest> requests(byte[] png, int n) {
        List<InferenceRequest> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            requests.add(Testbed.request(Testbed.event(TinyCategory.NAME, png).build()));
        }
        return requests;
    }

    private static void awaitVersion(InferenceWorker worker, String version) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!worker.models().version(TinyCategory.NAME).orElse("").equals(version) && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertThat(worker.models().version(TinyCategory.NAME)).contains(version);
    }

    /** Until the group has settled with both workers owning some of the {@code total} partitions. */
    private static void awaitSharedPartitions(InferenceWorker a, InferenceWorker b, int total) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!(a.metrics().assignedPartitions() > 0 && b.metrics().assignedPartitions() > 0
                && a.metrics().assignedPartitions() + b.metrics().assignedPartitions() == total) && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertThat(a.metrics().assignedPartitions() + b.metrics().assignedPartitions()).isEqualTo(total);
    }

    static void awaitResults(InferenceWorker worker, int n) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (worker.metrics().resultsCommitted() < n && System.nanoTime() < end) {
            Thread.sleep(20);
        }
    }

    private static void awaitLag(InferenceWorker worker, long lag) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (worker.metrics().lag() > lag && System.nanoTime() < end) {
            Thread.sleep(50);
        }
    }

    private static <T> List<T> concat(List<T> list, T last) {
        return concat(list, List.of(last));
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
