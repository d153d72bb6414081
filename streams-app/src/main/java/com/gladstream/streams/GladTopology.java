package com.gladstream.streams;

import java.util.Locale;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

import com.gladstream.schemas.AnomalyResult;
import com.gladstream.schemas.Decision;
import com.gladstream.schemas.InferenceRequest;
import com.gladstream.schemas.ModelPublished;
import com.gladstream.schemas.SampleLabel;
import com.gladstream.schemas.StatisticsScope;
import com.gladstream.schemas.WindowStatistics;
import com.gladstream.streams.models.PublishedModels;
import com.gladstream.streams.retrain.NormalSampleCounter;
import com.gladstream.streams.routing.ImageRouter;
import com.gladstream.streams.routing.RoutedImage;
import com.gladstream.streams.statistics.CaptureTimeExtractor;
import com.gladstream.streams.statistics.ScoreSummary;

/**
 * The GLAD Stream Kafka Streams topology, built by {@link #build} for the application and its tests
 * alike. Four flows:
 *
 * <ol>
 *   <li><b>Routing</b>: images (raw bytes) → {@link ImageRouter} → valid ones as
 *       {@code InferenceRequest} keyed by category to the requests topic; invalid or undecodable
 *       ones as {@code RejectedImage} keyed by the original key to the dead-letter topic.</li>
 *   <li><b>Samples</b>: valid NORMAL-labelled images, keyed by category, to the samples topic.</li>
 *   <li><b>Retraining</b>: the samples topic → {@link NormalSampleCounter} → {@code ControlEvent}
 *       retrain requests to the control topic.</li>
 *   <li><b>Statistics</b>: results, windowed by capture time per camera and per category →
 *       {@code WindowStatistics} to the statistics topic once each window has closed.</li>
 * </ol>
 *
 * The compacted models topic is read into a global table ({@link PublishedModels}) that tells the
 * router which categories exist and the counter when a new model was published.
 */
public final class GladTopology {

    private GladTopology() {}

    public static Topology build(StreamsSettings settings, TopologySerdes serdes) {
        var topics = settings.topics();
        StreamsBuilder builder = new StreamsBuilder();

        // The global thread cannot be replaced: it waits out a registry outage instead of failing.
        var models = Serdes.serdeFrom(serdes.models().serializer(), new RetryingDeserializer<>(
                serdes.models().deserializer(), StreamsService.OUTAGE_FIRST_WAIT, StreamsService.OUTAGE_MAX_WAIT));
        builder.globalTable(topics.models(), Consumed.with(Serdes.String(), models).withName("models"),
                Materialized.<String, ModelPublished, KeyValueStore<Bytes, byte[]>>as(
                        PublishedModels.STORE));

        KStream<byte[], RoutedImage> routed = builder
                .stream(topics.images(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("images"))
                .process(() -> new ImageRouter(serdes.images().deserializer(), settings), Named.as("route-images"));

        routed.flatMapValues(RoutedImage::rejections, Named.as("rejected-images"))
                .to(topics.deadLetter(), Produced.with(Serdes.ByteArray(), serdes.rejections()).withName("dead-letters"));

        KStream<String, InferenceRequest> requests = routed
                .flatMapValues(RoutedImage::requests, Named.as("accepted-images"))
                .selectKey((key, request) -> request.getImage().getCategory(), Named.as("key-by-category"));
        requests.to(topics.requests(), Produced.with(Serdes.String(), serdes.requests()).withName("requests"));
        requests.filter((category, request) -> request.getImage().getLabel() == SampleLabel.NORMAL,
                        Named.as("normal-samples"))
                .mapValues(InferenceRequest::getImage, Named.as("sample-images"))
                .to(topics.samples(), Produced.with(Serdes.String(), serdes.images()).withName("samples"));

        builder.addStateStore(NormalSampleCounter.countsStore());
        builder.stream(topics.samples(), Consumed.with(Serdes.String(), serdes.images()).withName("recorded-samples"))
                .process(() -> new NormalSampleCounter(settings.retrainThreshold()), Named.as("count-normal-samples"),
                        NormalSampleCounter.STORE)
                .to(topics.control(), Produced.with(Serdes.String(), serdes.control()).withName("retrain-requests"));

        KStream<String, AnomalyResult> results = builder.stream(topics.results(),
                Consumed.with(Serdes.String(), serdes.results())
                        .withTimestampExtractor(new CaptureTimeExtractor()).withName("results"));
        for (StatisticsScope scope : StatisticsScope.values()) {
            windowStatistics(results, scope, settings, serdes);
        }
        return builder.build();
    }

    private static void windowStatistics(KStream<String, AnomalyResult> results, StatisticsScope scope,
                                         StreamsSettings settings, TopologySerdes serdes) {
        String name = "statistics-by-" + scope.name().toLowerCase(Locale.ROOT);
        results.groupBy((eventId, result) -> scope == StatisticsScope.CAMERA ? result.getCameraId() : result.getCategory(),
                        Grouped.with(name, Serdes.String(), serdes.results()))
                .windowedBy(TimeWindows.ofSizeAndGrace(settings.statisticsWindow(), settings.statisticsGrace()))
                .aggregate(ScoreSummary::empty,
                        (key, result, summary) -> summary.add(result.getScore(), result.getDecision() == Decision.ANOMALOUS),
                        Named.as(name + "-aggregate"),
                        Materialized.<String, ScoreSummary, WindowStore<Bytes, byte[]>>as(name)
                                .withKeySerde(Serdes.String()).withValueSerde(ScoreSummary.serde()))
                // Held until its window has closed: a summary's time is its latest result's, at most the
                // window's end, so waiting window + grace past it outlasts the grace period. At most
                // max-pending-windows are held; past that the oldest are emitted early.
                .suppress(Suppressed.untilTimeLimit(settings.statisticsWindow().plus(settings.statisticsGrace()),
                                Suppressed.BufferConfig.maxRecords(settings.maxPendingWindows()).emitEarlyWhenFull())
                        .withName(name + "-final"))
                .toStream(Named.as(name + "-closed"))
                .map((window, summary) -> KeyValue.pair(statisticsKey(scope, window), toStatistics(scope, window, summary)),
                        Named.as(name + "-records"))
                .to(settings.topics().statistics(),
                        Produced.with(Serdes.String(), serdes.statistics()).withName(name + "-out"));
    }

    private static String statisticsKey(StatisticsScope scope, Windowed<String> window) {
        return scope + ":" + window.key() + "@" + window.window().start();
    }

    private static WindowStatistics toStatistics(StatisticsScope scope, Windowed<String> window, ScoreSummary summary) {
        return WindowStatistics.newBuilder()
                .setScope(scope)
                .setKey(window.key())
                .setWindowStart(window.window().startTime())
                .setWindowEnd(window.window().endTime())
                .setCount(summary.count())
                .setAnomalies(summary.anomalies())
                .setAnomalyRate(summary.anomalyRate())
                .setMeanScore(summary.meanScore())
                .setP95Score(summary.p95Score())
                .setUnscored(summary.unscored())
                .build();
    }
}
