package com.gladstream.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.gladstream.schemas.AnomalyResult;
import com.gladstream.schemas.Decision;
import com.gladstream.schemas.StatisticsScope;
import com.gladstream.schemas.Timings;
import com.gladstream.schemas.WindowStatistics;
import com.gladstream.streams.statistics.ScoreSummary;

class WindowStatisticsTest {

    private static final Duration WINDOW = Duration.ofSeconds(10);
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final Instant START = Instant.parse("2025-03-01T08:00:00Z");
    private static final double THRESHOLD = 1.0;
    @RegisterExtension
    static final SchemaRegistryExtension registry = new SchemaRegistryExtension();

    @TempDir
    Path stateDir;
    private TopologyHarness harness;

    @BeforeEach
    void startTopology() {
        harness = new TopologyHarness(registry.url(), stateDir, Map.of(
                "statistics.window", WINDOW.toMillis() + "ms",
                "statistics.grace", GRACE.toMillis() + "ms"));
    }

    @AfterEach
    void closeTopology() {
        harness.close();
    }

    @Test
    void closedWindowsReportCountsRatesMeanAndP95PerCameraAndCategory() {
        Random random = new Random(42);
        List<AnomalyResult> counted = new ArrayList<>();
        counted.addAll(sendRandomResults(random, 0));
        AnomalyResult inNextWindow = result("cam-2", "bottle", 0.4, START.plus(WINDOW).plusSeconds(1));
        send(inNextWindow);
        counted.add(inNextWindow);
        assertThat(harness.statistics.isEmpty()).as("nothing before the first window closes").isTrue();

        // Out of order but within the grace period: still counts in the first window.
        AnomalyResult late = result("cam-1", "bottle", 3.5, START.plusSeconds(1));
        send(late);
        counted.add(late);
        counted.addAll(sendRandomResults(random, 1));
        // After the first window has closed: too late, and must not change what was reported.
        send(result("cam-1", "bottle", 9.0, START.plusSeconds(2)));
        // Moves stream time past the second window's end plus grace; its own window stays open.
        send(result("cam-1", "bottle", 0.1, START.plus(WINDOW.multipliedBy(3)).plus(GRACE)));

        Map<String, WindowStatistics> reported = new HashMap<>();
        for (KeyValue<String, WindowStatistics> record : harness.statistics.readKeyValuesToList()) {
            assertThat(reported.put(record.key, record.value)).as("reported twice: %s", record.key).isNull();
        }
        Map<String, List<AnomalyResult>> expected = groupByStatisticsKey(counted);
        assertThat(reported).containsOnlyKeys(expected.keySet());
        expected.forEach((key, results) -> assertMatches(reported.get(key), results));
    }

    /** 60 results from three cameras over two categories, at random times in window {@code window}. */
    private List<AnomalyResult> sendRandomResults(Random random, int window) {
        String[][] sources = {{"cam-1", "bottle"}, {"cam-2", "bottle"}, {"cam-3", "screw"}};
        List<AnomalyResult> sent = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String[] source = sources[random.nextInt(sources.length)];
            // Scores spread over two orders of magnitude, some of them above the threshold.
            double score = Math.exp(random.nextGaussian() - 1);
            Instant capture = START.plus(WINDOW.multipliedBy(window)).plusMillis(random.nextInt((int) WINDOW.toMillis()));
            AnomalyResult result = result(source[0], source[1], score, capture);
            send(result);
            sent.add(result);
        }
        return sent;
    }

    @Test
    void nanAndInfiniteScoresCountAsResultsButLeaveMeanAndP95Finite() {
        for (double score : new double[] {0.2, Double.NaN, Double.POSITIVE_INFINITY, 0.4, Double.NEGATIVE_INFINITY}) {
            send(result("cam-1", "bottle", score, START.plusSeconds(1)));
        }
        send(result("cam-2", "bottle", 0.1, START.plus(WINDOW).plus(GRACE).plus(WINDOW)));

        WindowStatistics camera = reportedFor("CAMERA:cam-1@" + START.toEpochMilli());
        assertThat(camera.getCount()).isEqualTo(5);
        assertThat(camera.getUnscored()).isEqualTo(3);
        assertThat(camera.getMeanScore()).isCloseTo(0.3, within(1e-12));
        assertThat(camera.getP95Score()).isCloseTo(0.4, withinPercentage(1));
    }

    @Test
    void aResultStampedADayAheadDoesNotMakeOtherCamerasResultsLate() {
        send(result("cam-1", "bottle", 0.2, START.plusSeconds(1)), START.plusSeconds(2));
        // Its camera's clock is a day ahead; the worker wrote the result three seconds in.
        send(result("cam-2", "bottle", 0.5, START.plus(Duration.ofDays(1))), START.plusSeconds(3));
        send(result("cam-1", "bottle", 0.4, START.plusSeconds(5)), START.plusSeconds(6));
        Instant later = START.plus(WINDOW).plus(GRACE).plus(WINDOW);
        send(result("cam-3", "bottle", 0.1, later), later);

        Map<String, WindowStatistics> reported = harness.statistics.readKeyValuesToMap();
        assertThat(reported.get("CAMERA:cam-1@" + START.toEpochMilli()).getCount()).isEqualTo(2);
        assertThat(reported.get("CAMERA:cam-2@" + START.toEpochMilli()).getCount()).isEqualTo(1);
    }

    @Test
    void pendingWindowsAreBoundedSoRandomCameraIdsCannotExhaustMemory() {
        try (TopologyHarness bounded = new TopologyHarness(registry.url(), stateDir.resolve("bounded"), Map.of(
                "statistics.window", WINDOW.toMillis() + "ms",
                "statistics.grace", GRACE.toMillis() + "ms",
                "statistics.max-pending-windows", "5"))) {
            for (int i = 0; i < 40; i++) {
                AnomalyResult result = result("random-" + UUID.randomUUID(), "bottle", 0.3, START.plusMillis(i));
                bounded.results.pipeInput(result.getEventId(), result);
            }
            List<WindowStatistics> early = bounded.statistics.readValuesToList();
            assertThat(early).as("emitted before the window closed").hasSizeGreaterThanOrEqualTo(35)
                    .allSatisfy(s -> assertThat(s.getScope()).isEqualTo(StatisticsScope.CAMERA));
            AnomalyResult closing = result("cam-1", "bottle", 0.3, START.plus(WINDOW).plus(GRACE).plus(WINDOW));
            bounded.results.pipeInput(closing.getEventId(), closing);
            List<WindowStatistics> all = new ArrayList<>(early);
            all.addAll(bounded.statistics.readValuesToList());
            assertThat(all).filteredOn(s -> s.getScope() == StatisticsScope.CAMERA)
                    .extracting(WindowStatistics::getKey).doesNotHaveDuplicates().hasSize(40);
            assertThat(all).filteredOn(s -> s.getScope() == StatisticsScope.CATEGORY)
                    .singleElement().satisfies(s -> assertThat(s.getCount()).isEqualTo(40));
        }
    }

    private WindowStatistics reportedFor(String key) {
        Map<String, WindowStatistics> reported = harness.statistics.readKeyValuesToMap();
        assertThat(reported).containsKey(key);
        return reported.get(key);
    }

    @Test
    void p95IsTheNearestRankWithinOnePercent() {
        Random random = new Random(7);
        ScoreSummary summary = ScoreSummary.empty();
        List<Double> scores = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            double score = random.nextDouble() * 50;
            scores.add(score);
            summary.add(score, false);
        }
        assertThat(summary.p95Score()).isCloseTo(nearestRankP95(scores), withinPercentage(1));

        ScoreSummary constant = ScoreSummary.empty().add(0.37, false).add(0.37, true);
        assertThat(constant.p95Score()).isEqualTo(0.37);
        assertThat(ScoreSummary.empty().add(0, false).p95Score()).isZero();
    }

    private void assertMatches(WindowStatistics actual, List<AnomalyResult> results) {
        long anomalies = results.stream().filter(r -> r.getDecision() == Decision.ANOMALOUS).count();
        List<Double> scores = results.stream().map(AnomalyResult::getScore).toList();
        double mean = scores.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(actual.getCount()).as("count of %s", actual.getKey()).isEqualTo(results.size());
        assertThat(actual.getAnomalies()).isEqualTo(anomalies);
        assertThat(actual.getAnomalyRate()).isCloseTo((double) anomalies / results.size(), within(1e-12));
        assertThat(actual.getMeanScore()).isCloseTo(mean, within(1e-9));
        assertThat(actual.getP95Score()).isCloseTo(nearestRankP95(scores), withinPercentage(1));
        assertThat(Duration.between(actual.getWindowStart(), actual.getWindowEnd())).isEqualTo(WINDOW);
    }

    private static Map<String, List<AnomalyResult>> groupByStatisticsKey(List<AnomalyResult> results) {
        Map<String, List<AnomalyResult>> groups = new HashMap<>();
        for (AnomalyResult result : results) {
            long windowStart = Math.floorDiv(result.getCaptureTime().toEpochMilli(), WINDOW.toMillis()) * WINDOW.toMillis();
            groups.computeIfAbsent(StatisticsScope.CAMERA + ":" + result.getCameraId() + "@" + windowStart,
                    key -> new ArrayList<>()).add(result);
            groups.computeIfAbsent(StatisticsScope.CATEGORY + ":" + result.getCategory() + "@" + windowStart,
                    key -> new ArrayList<>()).add(result);
        }
        return groups;
    }

    private static double nearestRankP95(List<Double> scores) {
        List<Double> sorted = scores.stream().sorted().toList();
        return sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1);
    }

    private void send(AnomalyResult result) {
        harness.results.pipeInput(result.getEventId(), result);
    }

    /** Sends {@code result} as the broker would stamp it when it arrived at {@code written}. */
    private void send(AnomalyResult result, Instant written) {
        harness.results.pipeInput(result.getEventId(), result, written);
    }

    private static AnomalyResult result(String camera, String category, double score, Instant capture) {
        return AnomalyResult.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setCameraId(camera)
                .setCategory(category)
                .setCaptureTime(capture)
                .setScore(score)
                .setDecision(score > THRESHOLD ? Decision.ANOMALOUS : Decision.NORMAL)
                .setThreshold(THRESHOLD)
                .setAdaptiveStep(null)
                .setHeatmapUri(null)
                .setModelVersion("v1")
                .setRegions(List.of())
                .setTimings(new Timings(5L, 40L, 8))
                .setProducedAt(capture.plusSeconds(1))
                .build();
    }
}
