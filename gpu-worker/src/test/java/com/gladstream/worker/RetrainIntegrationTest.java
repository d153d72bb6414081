package com.gladstream.worker;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.model.ModelMetadata;
import com.gladstream.glad.model.ModelStore;
import com.gladstream.schemas.AnomalyResult;
import com.gladstream.schemas.ControlEvent;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.ModelPublished;
import com.gladstream.schemas.RetrainFailed;
import com.gladstream.schemas.RetrainProgress;
import com.gladstream.schemas.RetrainRequested;
import com.gladstream.schemas.RetrainSucceeded;
import com.gladstream.schemas.RetrainTrigger;
import com.gladstream.schemas.SampleLabel;
import com.gladstream.streams.StreamsService;
import com.gladstream.worker.kafka.KafkaClients;
import com.gladstream.worker.kafka.RegistryRetry;
import com.gladstream.worker.training.ControlEvents;
import com.gladstream.worker.training.PublishedModels;
import com.gladstream.worker.training.TrainerService;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retraining loop on a real broker and schema registry with the {@code tiny} preset: NORMAL
 * samples through the streams app trigger one retrain, the candidate is published and swapped in;
 * an operator request does the same; each gate refuses with its reason and the old model serving.
 */
class RetrainIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(180);
    /** Samples a run needs; the new-sample folder gives 16 normals, 3 of them held out for validation. */
    private static final int MIN_SAMPLES = 8;

    @TempDir
    Path root;

    @Test
    void enoughNormalSamplesTriggerOneRetrainWhoseModelServesLaterResults() throws Exception {
        Testbed bed = new Testbed(root);
        List<byte[]> normals = RetrainSamples.normals(root, 16, 99);
        List<byte[]> mislabelled = List.of(noisePng(1), noisePng(2));
        int n = normals.size() + mislabelled.size();
        Map<String, String> streamsSettings = new HashMap<>(bed.settings());
        streamsSettings.put("application.id", "streams-" + bed.topics.requests());
        streamsSettings.put("streams.state.dir", root.resolve("streams").toString());
        streamsSettings.put("streams.commit.interval.ms", "100");
        streamsSettings.put("retrain.normal-samples", String.valueOf(n));
        try (GladModel model = TinyCategory.model(1)) {
            String v1 = bed.publish(model).getVersion();
            try (StreamsService streams = new StreamsService(bed.config(streamsSettings));
                    InferenceWorker worker = new InferenceWorker(bed.config(Map.of()));
                    // The briefly trained tiny model scores these noise frames ~1.2x its threshold and its normals
                    // below it (a trained model separates them far more), hence the low exclusion factor here.
                    TrainerService trainer = new TrainerService(bed.config(trainerSettings(
                            Map.of("retrain.exclude-factor", "1.15"))))) {
                streams.start();
                worker.start();
                trainer.start();
                List<ImageEvent> samples = new ArrayList<>();
                normals.forEach(png -> samples.add(Testbed.event(TinyCategory.NAME, png).setLabel(SampleLabel.NORMAL).build()));
                mislabelled.forEach(png -> samples.add(Testbed.event(TinyCategory.NAME, png).setLabel(SampleLabel.NORMAL).build()));
                produceImages(bed, samples);

                List<ControlEvent> control = readControl(bed, events -> outcomes(events).size() >= 1, DEADLINE);
                assertThat(control).filteredOn(e -> e.getPayload() instanceof RetrainRequested).singleElement()
                        .satisfies(e -> assertThat(((RetrainRequested) e.getPayload()).getTrigger())
                                .isEqualTo(RetrainTrigger.SAMPLE_COUNT));
                ControlEvent outcome = outcomes(control).get(0);
                assertThat(outcome.getPayload()).isInstanceOf(RetrainSucceeded.class);
                RetrainSucceeded success = (RetrainSucceeded) outcome.getPayload();
                assertThat(success.getParentVersion()).isEqualTo(v1);
                // The two noise frames labelled NORMAL score above 1.15 x v1's threshold and are left out.
                assertThat(success.getExcludedSamples()).isEqualTo(2);
                assertThat(success.getSamples()).isEqualTo(normals.size());
                assertThat(progressStages(control)).contains("gathering", "screening", "fine-tuning", "validating", "publishing");
                String v2 = success.getVersion();
                assertThat(v2).isEqualTo("v2");
                assertStored(bed, v2, v1, 30);

                awaitVersion(worker, v2);
                List<ImageEvent> later = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    later.add(Testbed.event(TinyCategory.NAME, normals.get(i)).build());
                }
                produceImages(bed, later);
                Testbed.Output out = bed.read(o -> o.size() >= samples.size() + later.size(), DEADLINE);
                // Every frame, before, during and after the swap, has exactly one result.
                assertThat(out.deadLetters()).isEmpty();
                assertThat(out.results()).extracting(AnomalyResult::getEventId).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(concat(samples, later).stream().map(ImageEvent::getEventId).toList());
                Map<String, String> versions = out.results().stream()
                        .collect(Collectors.toMap(AnomalyResult::getEventId, AnomalyResult::getModelVersion));
                assertThat(later).allSatisfy(e -> assertThat(versions.get(e.getEventId())).isEqualTo(v2));
                assertThat(samples).allSatisfy(e -> assertThat(versions.get(e.getEventId())).isIn(v1, v2));
                // Only one retrain: no second request or outcome came after the publish.
                assertThat(readControl(bed, events -> false, Duration.ofSeconds(3)))
                        .filteredOn(e -> e.getPayload() instanceof RetrainRequested).hasSize(1);
            }
        }
    }

    @Test
    void anOperatorRequestRetrainsWithItsStepsAndTheWorkerSwapsTheModelIn() throws Exception {
        Testbed bed = new Testbed(root);
        try (GladModel model = TinyCategory.model(1);
                InferenceWorker worker = new InferenceWorker(bed.config(Map.of()));
                TrainerService trainer = new TrainerService(bed.config(trainerSettings(Map.of())))) {
            String v1 = bed.publish(model).getVersion();
            worker.start();
            trainer.start();
            RetrainSamples.produce(bed, RetrainSamples.normals(root, 12, 99));
            ControlEvent request = sendOperatorRequest(bed, 20);

            ControlEvent outcome = awaitOutcome(bed, request);
            assertThat(outcome.getPayload()).isInstanceOf(RetrainSucceeded.class);
            RetrainSucceeded success = (RetrainSucceeded) outcome.getPayload();
            assertThat(success.getParentVersion()).isEqualTo(v1);
            assertThat(success.getExcludedSamples()).isZero();
            assertStored(bed, success.getVersion(), v1, 20);
            assertThat(servingVersion(bed)).isEqualTo(success.getVersion());
            awaitVersion(worker, success.getVersion());
            ImageEvent after = Testbed.event(TinyCategory.NAME, RetrainSamples.normals(root, 1, 99).get(0)).build();
            bed.produceRequests(List.of(Testbed.request(after)));
            assertThat(bed.read(o -> o.size() >= 1, DEADLINE).results()).singleElement()
                    .satisfies(r -> assertThat(r.getModelVersion()).isEqualTo(success.getVersion()));
        }
    }

    @Test
    void tooFewSamplesAreRefusedAndTheOldModelKeepsServingAndANewTrainerDoesNotReplayOldRequests() throws Exception {
        Testbed bed = new Testbed(root);
        try (GladModel model = TinyCategory.model(1);
                TrainerService trainer = new TrainerService(bed.config(trainerSettings(Map.of())))) {
            String v1 = bed.publish(model).getVersion();
            // Sent before any trainer of the group ran: a new group starts at the end and does not replay it.
            ControlEvent beforeAnyTrainer = sendOperatorRequest(bed, null);
            trainer.start();
            RetrainSamples.produce(bed, RetrainSamples.normals(root, MIN_SAMPLES - 1, 99));
            assertFailed(bed, awaitOutcome(bed, sendOperatorRequest(bed, null)),
                    "too few samples: " + (MIN_SAMPLES - 1) + " usable NORMAL samples since v1", v1);
            assertThat(readControl(bed, events -> false, Duration.ofSeconds(2)))
                    .noneMatch(e -> beforeAnyTrainer.getEventId().equals(ControlEvents.requestEventId(e)));
        }
    }

    @Test
    void aDivergingFineTuneIsRefusedAndTheOldModelKeepsServing() throws Exception {
        Testbed bed = new Testbed(root);
        try (GladModel model = TinyCategory.model(1); GladModel poisoned = withNonFiniteWeight(model);
                TrainerService trainer = new TrainerService(bed.config(trainerSettings(Map.of())))) {
            String v1 = bed.publish(poisoned).getVersion();
            trainer.start();
            RetrainSamples.produce(bed, RetrainSamples.normals(root, 12, 99));
            assertFailed(bed, awaitOutcome(bed, sendOperatorRequest(bed, null)), "training diverged: loss became NaN", v1);
        }
    }

    @Test
    void aCandidateWorseThanTheServingModelIsRefusedAndTheSameSamplesAreNotTrainedOnTwice() throws Exception {
        Testbed bed = new Testbed(root);
        // A negative margin asks the candidate to beat the serving model's AUROC by a full 1.0: it cannot.
        try (GladModel model = TinyCategory.model(1);
                TrainerService trainer = new TrainerService(bed.config(trainerSettings(
                        Map.of("retrain.validation-margin", "-1"))))) {
            String v1 = bed.publish(model).getVersion();
            trainer.start();
            RetrainSamples.produce(bed, RetrainSamples.normals(root, 12, 99));
            ControlEvent first = awaitOutcome(bed, sendOperatorRequest(bed, 10));
            assertFailed(bed, first, "validation worse than the serving model by more than retrain.validation-margin -1.0:"
                    + " validation image_auroc", v1);
            ControlEvent second = awaitOutcome(bed, sendOperatorRequest(bed, 10));
            assertFailed(bed, second, "the samples are the same as in the last retrain of " + TinyCategory.NAME, v1);
        }
    }

    private Map<String, String> trainerSettings(Map<String, String> overrides) {
        Map<String, String> s = new HashMap<>();
        s.put("retrain.group-id", "trainer-" + UUID.randomUUID());
        s.put("retrain.work-dir", root.resolve("retrain").toString());
        s.put("retrain.min-samples", String.valueOf(MIN_SAMPLES));
        s.put("retrain.steps", "30");
        s.put("retrain.progress-interval", "1s");
        // Validation on 3 held-out normals and 6 synthetic anomalies is coarse; the margin gate has its own test.
        s.put("retrain.validation-margin", "0.5");
        s.putAll(overrides);
        return s;
    }

    private void assertFailed(Testbed bed, ControlEvent outcome, String reasonStart, String serving) {
        assertThat(outcome.getPayload()).isInstanceOf(RetrainFailed.class);
        assertThat(((RetrainFailed) outcome.getPayload()).getReason()).startsWith(reasonStart);
        assertThat(servingVersion(bed)).isEqualTo(serving);
        assertThat(ModelStore.versions(bed.root.resolve("models"), TinyCategory.NAME))
                .containsExactly(bed.root.resolve("models").resolve(TinyCategory.NAME).resolve(serving));
    }

    private static void assertStored(Testbed bed, String version, String parent, int steps) throws Exception {
        ModelMetadata m = ModelStore.readMetadata(bed.root.resolve("models").resolve(TinyCategory.NAME).resolve(version));
        assertThat(m.version()).isEqualTo(version);
        assertThat(m.parentVersion()).isEqualTo(parent);
        assertThat(m.atp()).isTrue();
        assertThat(m.dataHash()).matches("[0-9a-f]{64}").isNotEqualTo(ModelStore.readMetadata(
                bed.root.resolve("models").resolve(TinyCategory.NAME).resolve(parent)).dataHash());
        assertThat(m.metrics()).containsEntry("retrain.steps", (double) steps).containsKeys("validation.image_auroc",
                "parent.validation.image_auroc", "validation.pixel_auroc");
        assertThat(m.calibration().threshold()).isFinite().isPositive();
    }

    private static String servingVersion(Testbed bed) {
        KafkaClients clients = new KafkaClients(bed.config(Map.of()));
        Map<String, ModelPublished> models = PublishedModels.read(clients, bed.topics.models(),
                bed.serdes.models().deserializer(), new RegistryRetry(bed.serdes.registry(), () -> true));
        return models.get(TinyCategory.NAME).getVersion();
    }

    /** What {@code glad retrain} sends. */
    private static ControlEvent sendOperatorRequest(Testbed bed, Integer steps) {
        ControlEvent request = ControlEvents.operatorRequest(TinyCategory.NAME, steps, "test");
        try (ControlEvents events = new ControlEvents(new KafkaClients(bed.config(Map.of())), bed.serdes.registry(),
                bed.topics.control())) {
            events.send(request);
        }
        return request;
    }

    private static ControlEvent awaitOutcome(Testbed bed, ControlEvent request) {
        Predicate<ControlEvent> mine = e -> request.getEventId().equals(ControlEvents.requestEventId(e));
        List<ControlEvent> events = readControl(bed, all -> outcomes(all).stream().anyMatch(mine), DEADLINE);
        List<ControlEvent> mineOnly = outcomes(events).stream().filter(mine).toList();
        assertThat(mineOnly).as("one outcome per request").hasSize(1);
        return mineOnly.get(0);
    }

    private static List<ControlEvent> outcomes(List<ControlEvent> events) {
        return events.stream().filter(e -> e.getPayload() instanceof RetrainFailed || e.getPayload() instanceof RetrainSucceeded)
                .toList();
    }

    private static List<String> progressStages(List<ControlEvent> events) {
        return events.stream().filter(e -> e.getPayload() instanceof RetrainProgress)
                .map(e -> ((RetrainProgress) e.getPayload()).getStage()).distinct().toList();
    }

    /** The control topic from its beginning until {@code done} holds or the deadline passes, read committed. */
    private static List<ControlEvent> readControl(Testbed bed, Predicate<List<ControlEvent>> done, Duration deadline) {
        Serde<ControlEvent> serde = ControlEvents.serde(bed.serdes.registry());
        List<ControlEvent> events = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bed.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "control-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(bed.topics.control()));
            long end = System.nanoTime() + deadline.toNanos();
            while (System.nanoTime() < end && !done.test(events)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    events.add(serde.deserializer().deserialize(r.topic(), r.value()));
                }
            }
        }
        return events;
    }

    private static void produceImages(Testbed bed, List<ImageEvent> events) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (ImageEvent e : events) {
            records.add(new ProducerRecord<>(bed.topics.images(), e.getCameraId().getBytes(StandardCharsets.UTF_8),
                    bed.serdes.images().serializer().serialize(bed.topics.images(), e)));
        }
        bed.produce(records);
    }

    private static byte[] noisePng(long seed) throws IOException {
        Random rng = new Random(seed);
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                image.setRGB(x, y, rng.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** {@code model} with one weight NaN: the first fine-tuning step's loss is NaN. */
    private static GladModel withNonFiniteWeight(GladModel model) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> weights = new LinkedHashMap<>();
            boolean first = true;
            for (Map.Entry<String, NDArray> w : model.weights().entrySet()) {
                NDArray copy = w.getValue().duplicate();
                copy.attach(manager);
                if (first) {
                    float[] values = copy.toFloatArray();
                    values[0] = Float.NaN;
                    copy = manager.create(values, copy.getShape());
                    first = false;
                }
                weights.put(w.getKey(), copy);
            }
            return GladModel.of(model.metadata(), weights);
        }
    }

    private static void awaitVersion(InferenceWorker worker, String version) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!worker.models().version(TinyCategory.NAME).filter(version::equals).isPresent()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the worker never served " + version + "; it serves " + worker.models().versions());
            }
            Thread.sleep(100);
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
