package com.gladstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.gladstream.schemas.ControlEvent;
import com.gladstream.schemas.ImageEncoding;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.RetrainRequested;
import com.gladstream.schemas.RetrainTrigger;
import com.gladstream.schemas.SampleLabel;

class NormalSampleRetrainTest {

    private static final int THRESHOLD = 5;
    @RegisterExtension
    static final SchemaRegistryExtension registry = new SchemaRegistryExtension();

    @TempDir
    Path stateDir;
    private TopologyHarness harness;

    @BeforeEach
    void startTopology() {
        harness = new TopologyHarness(registry.url(), stateDir, Map.of(
                "validation.categories", "bottle,screw",
                "retrain.normal-samples", String.valueOf(THRESHOLD)));
    }

    @AfterEach
    void closeTopology() {
        harness.close();
    }

    @Test
    void normalSamplesAreRecordedByCategoryAndOthersAreNot() {
        ImageEvent normal = sendLabelled("bottle", SampleLabel.NORMAL);
        sendLabelled("bottle", SampleLabel.ANOMALOUS);
        sendLabelled("bottle", SampleLabel.UNLABELED);

        assertThat(harness.samples.readKeyValuesToList()).containsExactly(KeyValue.pair("bottle", normal));
        assertThat(harness.requests.readValuesToList()).hasSize(3);
    }

    @Test
    void oneRetrainRequestPerCrossingOfTheThreshold() {
        sendNormal("bottle", THRESHOLD - 1);
        assertThat(harness.control.isEmpty()).as("before the threshold").isTrue();

        sendNormal("bottle", 1);
        assertThat(retrainRequests()).singleElement().satisfies(request -> {
            assertThat(request.getTrigger()).isEqualTo(RetrainTrigger.SAMPLE_COUNT);
            assertThat(request.getNormalSamples()).isEqualTo(THRESHOLD);
            assertThat(request.getBaseModelVersion()).isNull();
        });

        // No model yet: silence until the next multiple of the threshold, then one reminder.
        sendNormal("bottle", THRESHOLD - 1);
        assertThat(harness.control.isEmpty()).as("between crossings").isTrue();
        sendNormal("bottle", 1);
        assertThat(retrainRequests()).extracting(RetrainRequested::getNormalSamples).containsExactly(2L * THRESHOLD);
    }

    @Test
    void categoriesAreCountedSeparately() {
        sendNormal("bottle", THRESHOLD - 1);
        sendNormal("screw", THRESHOLD - 1);
        assertThat(harness.control.isEmpty()).isTrue();

        sendNormal("screw", 1);
        List<KeyValue<String, ControlEvent>> events = harness.control.readKeyValuesToList();
        assertThat(events).extracting(event -> event.key).containsExactly("screw");
        assertThat(events.get(0).value.getCategory()).isEqualTo("screw");
    }

    @Test
    void publishedModelResetsTheCount() {
        sendNormal("bottle", THRESHOLD - 1);
        harness.publishModel("bottle", "v2");

        sendNormal("bottle", THRESHOLD - 1);
        assertThat(harness.control.isEmpty()).as("count restarted at the publication").isTrue();

        sendNormal("bottle", 1);
        assertThat(retrainRequests()).singleElement().satisfies(request -> {
            assertThat(request.getNormalSamples()).isEqualTo(THRESHOLD);
            assertThat(request.getBaseModelVersion()).isEqualTo("v2");
        });
    }

    @Test
    void invalidNormalImagesAreNeitherRecordedNorCounted() {
        for (int i = 0; i < THRESHOLD; i++) {
            harness.sendImage(TestImages.event("cam-1", "bottle", TestImages.png(8, 8), ImageEncoding.PNG, 9, 9)
                    .setLabel(SampleLabel.NORMAL).build());
        }
        assertThat(harness.deadLetters.readValuesToList()).hasSize(THRESHOLD);
        assertThat(harness.samples.isEmpty()).isTrue();
        assertThat(harness.control.isEmpty()).isTrue();
    }

    private ImageEvent sendLabelled(String category, SampleLabel label) {
        ImageEvent event = TestImages.pngEvent("cam-" + category, category, 8, 8).setLabel(label).build();
        harness.sendImage(event);
        return event;
    }

    private void sendNormal(String category, int count) {
        for (int i = 0; i < count; i++) {
            sendLabelled(category, SampleLabel.NORMAL);
        }
    }

    private List<RetrainRequested> retrainRequests() {
        return harness.control.readValuesToList().stream()
                .map(event -> (RetrainRequested) event.getPayload())
                .toList();
    }
}
