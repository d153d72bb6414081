package com.gladstream.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.gladstream.glad.data.ImageLoader;
import com.gladstream.glad.data.Sample;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.pipeline.Detection;
import com.gladstream.glad.pipeline.DetectorSession;
import com.gladstream.glad.reconstruction.NoiseSeeds;
import com.gladstream.schemas.AnomalyResult;
import com.gladstream.schemas.InferenceRequest;
import com.gladstream.schemas.RejectReason;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continuous (step-level) batching on a real broker: requests arriving at mixed times join running
 * batches, a worker stopped with images mid-batch is replaced by a new instance, and every request
 * still gets exactly one outcome, whose score is the one the image gets alone.
 */
class ContinuousBatchingIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(300);

    @TempDir
    Path root;

    @Test
    void mixedArrivalsAndARestartGiveEveryRequestExactlyOneResultAsIfAlone() throws Exception {
        Testbed bed = new Testbed(root);
        List<Sample> samples = TinyCategory.testSamples();
        List<InferenceRequest> burst = new ArrayList<>();
        List<InferenceRequest> staggered = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            byte[] png = TinyCategory.bytes(samples.get(i % samples.size()).path());
            (i < 24 ? burst : staggered).add(Testbed.request(Testbed.event(TinyCategory.NAME, png).build()));
        }
        InferenceRequest noModel = Testbed.request(Testbed.event("no-such-category",
                TinyCategory.bytes(samples.get(0).path())).build());
        Map<String, String> continuous = Map.of("inference.batching", "continuous", "worker.id", "continuous-test",
                "worker.shutdown-timeout", "100ms");
        try (GladModel model = TinyCategory.model(1)) {
            bed.publish(model);
            InferenceWorker first = new InferenceWorker(bed.config(continuous));
            double firstCommitted;
            try (first) {
                first.start();
                bed.produceRequests(burst);
                WorkerIntegrationTest.awaitResults(first, 4);
            }
            firstCommitted = first.metrics().resultsCommitted();

            Testbed.Output out;
            try (InferenceWorker second = new InferenceWorker(bed.config(continuous))) {
                second.start();
                Random random = new Random(5);
                for (int i = 0; i < staggered.size(); ) {
                    int n = Math.min(staggered.size() - i, 1 + random.nextInt(3));
                    bed.produceRequests(staggered.subList(i, i + n));
                    i += n;
                    Thread.sleep(random.nextInt(120));
                }
                bed.produceRequests(List.of(noModel));
                out = bed.read(o -> o.size() >= burst.size() + staggered.size() + 1, DEADLINE);
            }

            List<InferenceRequest> all = new ArrayList<>(burst);
            all.addAll(staggered);
            assertThat(firstCommitted).as("the first worker stopped mid-stream").isBetween(4.0, burst.size() - 1.0);
            assertThat(out.results()).extracting(AnomalyResult::getEventId)
                    .containsExactlyInAnyOrderElementsOf(all.stream().map(r -> r.getImage().getEventId()).toList());
            assertThat(out.deadLetters()).singleElement().satisfies(d -> {
                assertThat(d.getEventId()).isEqualTo(noModel.getImage().getEventId());
                assertThat(d.getReason()).isEqualTo(RejectReason.NO_MODEL);
            });

            Map<String, InferenceRequest> byId = WorkerIntegrationTest.byEventId(all);
            assertThat(joinedMidFlight(out.results(), byId)).as("results that began while another image was mid-batch")
                    .isPositive();
            try (DetectorSession alone = DetectorSession.open(model, 1)) {
                for (AnomalyResult result : out.results()) {
                    InferenceRequest request = byId.get(result.getEventId());
                    FloatImage image = ImageLoader.decodeUntrusted(request.getImage().getImageBytes().array(),
                            result.getEventId(), 3, 1L << 20);
                    Detection expected = alone.detector().detect(List.of(image),
                            List.of(NoiseSeeds.of(result.getEventId()))).get(0);
                    assertThat(result.getScore()).as("score of %s", result.getEventId())
                            .isCloseTo(expected.score(), within(1e-4));
                    assertThat(result.getAdaptiveStep()).isEqualTo(expected.adaptiveStep());
                }
            }
        }
    }

    /** Results whose inference began after another's began and before it ended: they joined a running batch. */
    private static long joinedMidFlight(List<AnomalyResult> results, Map<String, InferenceRequest> byId) {
        return results.stream().filter(b -> results.stream().anyMatch(a -> {
            long startA = WorkerIntegrationTest.admittedAt(a, byId);
            long startB = WorkerIntegrationTest.admittedAt(b, byId);
            return startB > startA && startB < startA + a.getTimings().getInferenceMillis();
        })).count();
    }
}
