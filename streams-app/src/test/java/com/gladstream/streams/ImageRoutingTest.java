package com.gladstream.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.gladstream.schemas.ImageEncoding;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.InferenceRequest;
import com.gladstream.schemas.RejectReason;
import com.gladstream.schemas.RejectedImage;

class ImageRoutingTest {

    /** 64 × 64 pixels of 8-bit RGB. */
    private static final int MAX_DECODED_BYTES = 64 * 64 * 3;
    @RegisterExtension
    static final SchemaRegistryExtension registry = new SchemaRegistryExtension();

    @TempDir
    Path tempDir;
    private TopologyHarness harness;

    @BeforeEach
    void startTopology() {
        harness = new TopologyHarness(registry.url(), tempDir.resolve("state"), Map.of(
                "validation.categories", "bottle, screw",
                "validation.max-decoded-bytes", String.valueOf(MAX_DECODED_BYTES),
                "images.file-roots", tempDir.toString(),
                "images.http-hosts", "cameras.example"));
    }

    @AfterEach
    void closeTopology() {
        harness.close();
    }

    @ParameterizedTest
    @EnumSource(value = ImageEncoding.class, names = {"PNG", "JPEG", "BMP"})
    void validImageBecomesARequestKeyedByCategory(ImageEncoding encoding) {
        ImageEvent event = TestImages.event("cam-7", "screw", TestImages.encoded(40, 30, encoding), encoding, 40, 30)
                .build();
        harness.sendImage(event);

        assertThat(harness.deadLetters.isEmpty()).as("dead letters").isTrue();
        TestRecord<String, InferenceRequest> request = harness.requests.readRecord();
        assertThat(request.key()).isEqualTo("screw");
        assertThat(request.value().getImage()).isEqualTo(event);
        assertThat(request.value().getSource()).isEqualTo(harness.topics.images() + "-0@0");
        assertThat(request.value().getValidatedAt()).isEqualTo(TopologyHarness.WALL_CLOCK_START);
        assertThat(harness.requests.isEmpty()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad magic byte", "unknown schema id", "broken avro body", "empty value"})
    void undecodableRecordIsDeadLetteredWithItsBytesAndCoordinates(String damage) {
        byte[] valid = harness.serdes.images().serializer()
                .serialize(harness.topics.images(), TestImages.pngEvent("cam-1", "bottle", 8, 8).build());
        byte[] value = switch (damage) {
            case "bad magic byte" -> "this is not avro".getBytes(StandardCharsets.UTF_8);
            case "unknown schema id" -> ByteBuffer.allocate(valid.length).put(valid).put(1, (byte) 0x7f).array();
            case "broken avro body" -> Arrays.copyOf(valid, valid.length / 2);
            default -> new byte[0];
        };
        byte[] key = "cam-1".getBytes(StandardCharsets.UTF_8);
        harness.images.pipeInput(key, valid);
        harness.images.pipeInput(key, value);

        assertThat(harness.requests.readValuesToList()).hasSize(1);
        RejectedImage rejected = onlyDeadLetter(RejectReason.UNDECODABLE_RECORD);
        assertThat(rejected.getEventId()).isNull();
        assertThat(bytes(rejected.getOriginalKey())).isEqualTo(key);
        assertThat(bytes(rejected.getOriginalValue())).isEqualTo(value);
        assertThat(rejected.getSourceTopic()).isEqualTo(harness.topics.images());
        assertThat(rejected.getSourcePartition()).isZero();
        assertThat(rejected.getSourceOffset()).isEqualTo(1);
        assertThat(rejected.getMessage()).isNotBlank();
    }

    @Test
    void bytesThatAreNoImageAreCorrupt() {
        byte[] noise = new byte[500];
        new Random(7).nextBytes(noise);
        assertRejected(TestImages.event("cam-1", "bottle", noise, ImageEncoding.PNG, 10, 10).build(),
                RejectReason.CORRUPT_IMAGE);
    }

    @Test
    void contentInAnotherFormatThanDeclaredIsCorrupt() {
        byte[] jpeg = TestImages.encoded(10, 10, ImageEncoding.JPEG);
        assertRejected(TestImages.event("cam-1", "bottle", jpeg, ImageEncoding.PNG, 10, 10).build(),
                RejectReason.CORRUPT_IMAGE);
    }

    @ParameterizedTest
    @EnumSource(value = ImageEncoding.class, names = {"PNG", "JPEG", "BMP"})
    void truncatedImageIsCorrupt(ImageEncoding encoding) {
        byte[] whole = TestImages.encoded(48, 48, encoding);
        ImageEvent event = TestImages.event("cam-1", "bottle", TestImages.truncated(whole, 0.7), encoding, 48, 48).build();
        RejectedImage rejected = assertRejected(event, RejectReason.CORRUPT_IMAGE);
        assertThat(rejected.getMessage()).containsIgnoringCase("truncated");
    }

    @Test
    void pngWithADamagedChunkIsCorrupt() {
        byte[] png = TestImages.png(32, 32);
        png[png.length - 20] ^= 0x5a;  // inside the last IDAT chunk, before IEND
        RejectedImage rejected = assertRejected(TestImages.event("cam-1", "bottle", png, ImageEncoding.PNG, 32, 32).build(),
                RejectReason.CORRUPT_IMAGE);
        assertThat(rejected.getMessage()).contains("CRC");
    }

    @Test
    void declaredSizeDifferentFromTheHeaderIsASizeMismatch() {
        ImageEvent event = TestImages.event("cam-1", "bottle", TestImages.png(32, 24), ImageEncoding.PNG, 24, 32).build();
        RejectedImage rejected = assertRejected(event, RejectReason.SIZE_MISMATCH);
        assertThat(rejected.getMessage()).contains("24×32").contains("32×24");
    }

    @Test
    void imageOverTheDecodedSizeCapIsTooLarge() {
        int side = 65;
        assertRejected(TestImages.pngEvent("cam-1", "bottle", side, side).build(), RejectReason.TOO_LARGE);
    }

    @Test
    void imageAtTheDecodedSizeCapIsAccepted() {
        int side = 64;
        harness.sendImage(TestImages.pngEvent("cam-1", "bottle", side, side).build());
        assertThat(harness.requests.readValuesToList()).hasSize(1);
        assertThat(harness.deadLetters.isEmpty()).isTrue();
    }

    @Test
    void sixteenBitImageCountsTwiceTheBytesOfAnEightBitOne() {
        ImageEvent deep = TestImages.event("cam-1", "bottle", TestImages.png16(64, 64), ImageEncoding.PNG, 64, 64).build();
        RejectedImage rejected = assertRejected(deep, RejectReason.TOO_LARGE);
        assertThat(rejected.getMessage()).contains("48 bits");
    }

    @Test
    void pngWithoutImageDataIsCorruptEvenThoughEveryChunkChecksOut() {
        byte[] noIdat = PngChunks.of(TestImages.png(16, 16)).withImageData(null).bytes();
        assertRejected(TestImages.event("cam-1", "bottle", noIdat, ImageEncoding.PNG, 16, 16).build(),
                RejectReason.CORRUPT_IMAGE);
    }

    @Test
    void pngWithAShortOrOverlongZlibStreamIsCorruptEvenThoughEveryChunkChecksOut() {
        PngChunks png = PngChunks.of(TestImages.png(16, 16));
        byte[] shortStream = png.withImageData(TestImages.truncated(png.imageData(), 0.6)).bytes();
        byte[] bomb = png.withImageData(PngChunks.zlib(new byte[16 * (1 + 16 * 3) * 50])).bytes();

        assertThat(assertRejected(TestImages.event("cam-1", "bottle", shortStream, ImageEncoding.PNG, 16, 16).build(),
                RejectReason.CORRUPT_IMAGE).getMessage()).contains("zlib");
        assertThat(assertRejected(TestImages.event("cam-1", "bottle", bomb, ImageEncoding.PNG, 16, 16).build(),
                RejectReason.CORRUPT_IMAGE).getMessage()).contains("more bytes than its header");
    }

    @Test
    void cmykAndArithmeticCodedJpegsAreUnsupported() {
        byte[] cmyk = TestImages.fourComponentJpeg(16, 16);
        byte[] arithmetic = TestImages.withFrameMarker(TestImages.encoded(16, 16, ImageEncoding.JPEG), 0xC9);
        byte[] lossless = TestImages.withFrameMarker(TestImages.encoded(16, 16, ImageEncoding.JPEG), 0xC3);

        assertThat(assertRejected(TestImages.event("cam-1", "bottle", cmyk, ImageEncoding.JPEG, 16, 16).build(),
                RejectReason.UNSUPPORTED_ENCODING).getMessage()).contains("4 colour components");
        assertThat(assertRejected(TestImages.event("cam-1", "bottle", arithmetic, ImageEncoding.JPEG, 16, 16).build(),
                RejectReason.UNSUPPORTED_ENCODING).getMessage()).contains("arithmetic");
        assertRejected(TestImages.event("cam-1", "bottle", lossless, ImageEncoding.JPEG, 16, 16).build(),
                RejectReason.UNSUPPORTED_ENCODING);
    }

    @Test
    void eventWithBothBytesAndAUriIsRejectedSoTheUriIsNeverUsedUnchecked() {
        ImageEvent both = TestImages.pngEvent("cam-1", "bottle", 16, 16).setImageUri("file:///etc/passwd").build();
        assertThat(assertRejected(both, RejectReason.URI_NOT_ALLOWED).getMessage()).contains("both");
    }

    @Test
    void frameStampedFarAheadOfItsArrivalIsClockSkewedAndLeavesOtherFramesAlone() {
        Instant arrival = TopologyHarness.WALL_CLOCK_START;
        ImageEvent ahead = TestImages.pngEvent("cam-9", "bottle", 16, 16).setCaptureTime(arrival.plus(Duration.ofDays(1)))
                .build();
        ImageEvent slightlyAhead = TestImages.pngEvent("cam-1", "bottle", 16, 16)
                .setCaptureTime(arrival.plus(Duration.ofMinutes(1))).build();

        assertThat(assertRejected(ahead, RejectReason.CLOCK_SKEW).getMessage()).contains("ahead");
        harness.sendImage(slightlyAhead);
        assertThat(harness.requests.readValuesToList()).extracting(r -> r.getImage().getEventId())
                .containsExactly(slightlyAhead.getEventId());
    }

    @Test
    void recordOverTheByteCapIsTooLargeAndItsDeadLetterLeavesThePayloadOut() {
        try (TopologyHarness capped = new TopologyHarness(registry.url(), tempDir.resolve("capped"), Map.of(
                "validation.categories", "bottle", "records.max-bytes", "4096"))) {
            ImageEvent big = TestImages.event("cam-1", "bottle", new byte[5000], ImageEncoding.PNG, 8, 8).build();
            ImageEvent small = TestImages.pngEvent("cam-1", "bottle", 8, 8).build();
            capped.sendImage(big);
            capped.sendImage(small);

            RejectedImage rejected = capped.deadLetters.readValue();
            assertThat(capped.deadLetters.isEmpty()).isTrue();
            assertThat(rejected.getReason()).isEqualTo(RejectReason.TOO_LARGE);
            assertThat(rejected.getOriginalValue()).isNull();
            assertThat(bytes(rejected.getOriginalKey())).isEqualTo("cam-1".getBytes(StandardCharsets.UTF_8));
            assertThat(rejected.getMessage()).contains("4096").contains("@0");
            assertThat(capped.requests.readValuesToList()).extracting(r -> r.getImage().getEventId())
                    .containsExactly(small.getEventId());
        }
    }

    @Test
    void aDeadLetterRepeatsHugeIdsOnlyInPartSoItStaysWithinTheTopicsHeadroom() {
        String hugeId = "e".repeat(300_000);
        ImageEvent event = TestImages.event("cam-1", "bottle", new byte[10], ImageEncoding.PNG, 8, 8)
                .setEventId(hugeId).setCameraId(hugeId).build();
        byte[] sent = harness.sendImage(event);

        RejectedImage rejected = onlyDeadLetter(RejectReason.CORRUPT_IMAGE);
        assertThat(rejected.getEventId()).hasSizeLessThan(300).startsWith("eee");
        assertThat(rejected.getCameraId()).hasSizeLessThan(300);
        assertThat(bytes(rejected.getOriginalValue())).isEqualTo(sent);
    }

    @Test
    void categoryWithoutModelIsUnknownUntilAModelIsPublished() {
        ImageEvent event = TestImages.pngEvent("cam-1", "capsule", 16, 16).build();
        RejectedImage rejected = assertRejected(event, RejectReason.UNKNOWN_CATEGORY);
        assertThat(rejected.getCategory()).isEqualTo("capsule");

        harness.publishModel("capsule", "v1");
        harness.sendImage(event);

        assertThat(harness.requests.readKeyValuesToMap()).containsOnlyKeys("capsule");
        assertThat(harness.deadLetters.isEmpty()).isTrue();
    }

    @Test
    void eventWithoutBytesOrUriIsMissingItsPayload() {
        assertRejected(TestImages.event("cam-1", "bottle", null, ImageEncoding.PNG, 8, 8).build(),
                RejectReason.MISSING_PAYLOAD);
        assertRejected(TestImages.event("cam-1", "bottle", new byte[0], ImageEncoding.PNG, 8, 8).setImageUri("  ").build(),
                RejectReason.MISSING_PAYLOAD);
    }

    @Test
    void unknownEncodingIsUnsupported() {
        assertRejected(TestImages.event("cam-1", "bottle", TestImages.png(8, 8), ImageEncoding.UNKNOWN, 8, 8).build(),
                RejectReason.UNSUPPORTED_ENCODING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://cameras example/frame 1.png", "ftp://cameras.example/frame.png",
        "frames/frame.png", "https:///frame.png", "file:///no/such/dir/frame.png"})
    void uriThatCannotLocateAnImageIsMissingItsPayload(String uri) {
        ImageEvent event = TestImages.event("cam-1", "bottle", null, ImageEncoding.PNG, 8, 8).setImageUri(uri).build();
        RejectedImage rejected = assertRejected(event, RejectReason.MISSING_PAYLOAD);
        assertThat(rejected.getMessage()).contains(uri);
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "http://169.254.169.254/latest/meta-data", "https://elsewhere.example/x.png"})
    void uriOutsideTheClaimCheckPolicyIsRefusedBeforeAnythingIsOpened(String uri) {
        ImageEvent event = TestImages.event("cam-1", "bottle", null, ImageEncoding.PNG, 8, 8).setImageUri(uri).build();
        assertThat(assertRejected(event, RejectReason.URI_NOT_ALLOWED).getMessage()).contains(uri);
    }

    @Test
    void aFileUriThatClimbsOutOfTheRootIsRefused() throws IOException {
        Path inside = Files.createDirectories(tempDir.resolve("images"));
        Files.write(tempDir.getParent().resolve("outside-" + tempDir.getFileName() + ".png"), TestImages.png(8, 8));
        String climbing = inside.toUri() + "../../outside-" + tempDir.getFileName() + ".png";
        assertRejected(TestImages.event("cam-1", "bottle", null, ImageEncoding.PNG, 8, 8).setImageUri(climbing).build(),
                RejectReason.URI_NOT_ALLOWED);
    }

    @Test
    void fileUriIsCheckedLikeInlineBytesAndHttpUrlIsAcceptedByForm() throws IOException {
        Path good = Files.write(tempDir.resolve("good.png"), TestImages.png(20, 10));
        Path bad = Files.write(tempDir.resolve("bad.png"), "not a png at all".getBytes(StandardCharsets.UTF_8));
        ImageEvent fromFile = TestImages.event("cam-1", "bottle", null, ImageEncoding.PNG, 20, 10)
                .setImageUri(good.toUri().toString()).build();
        ImageEvent wrongSize = TestImages.event("cam-1", "bottle", null, ImageEncoding.PNG, 10, 20)
                .setImageUri(good.toUri().toString()).build();
        ImageEvent fromUrl = TestImages.event("cam-1", "bottle", null, ImageEncoding.PNG, 20, 10)
                .setImageUri("https://cameras.example/frames/1.png").build();

        harness.sendImage(fromFile);
        harness.sendImage(fromUrl);
        assertThat(harness.requests.readValuesToList()).extracting(r -> r.getImage().getEventId())
                .containsExactly(fromFile.getEventId(), fromUrl.getEventId());

        assertRejected(wrongSize, RejectReason.SIZE_MISMATCH);
        assertRejected(TestImages.event("cam-1", "bottle", null, ImageEncoding.PNG, 20, 10)
                .setImageUri(bad.toUri().toString()).build(), RejectReason.CORRUPT_IMAGE);
    }

    @Test
    void unreachableRegistryFailsTheRecordForRetryInsteadOfDeadLetteringIt() throws IOException {
        byte[] valid = harness.sendImage(TestImages.pngEvent("cam-1", "bottle", 8, 8).build());
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (TopologyHarness offline = new TopologyHarness("http://localhost:" + closedPort, tempDir.resolve("offline"),
                Map.of("validation.categories", "bottle"))) {
            assertThatThrownBy(() -> offline.images.pipeInput("cam-1".getBytes(StandardCharsets.UTF_8), valid))
                    .isInstanceOf(StreamsException.class)
                    .hasStackTraceContaining("unreachable");
            assertThat(offline.deadLetters.isEmpty()).isTrue();
            assertThat(offline.requests.isEmpty()).isTrue();
        }
    }

    /** Sends {@code event}; asserts it produced one dead letter with {@code reason} and no request. */
    private RejectedImage assertRejected(ImageEvent event, RejectReason reason) {
        byte[] sent = harness.sendImage(event);
        assertThat(harness.requests.isEmpty()).as("requests after a %s image", reason).isTrue();
        RejectedImage rejected = onlyDeadLetter(reason);
        assertThat(rejected.getEventId()).isEqualTo(event.getEventId());
        assertThat(rejected.getCameraId()).isEqualTo(event.getCameraId());
        assertThat(bytes(rejected.getOriginalValue())).isEqualTo(sent);
        assertThat(rejected.getRejectedAt()).isEqualTo(TopologyHarness.WALL_CLOCK_START);
        return rejected;
    }

    private RejectedImage onlyDeadLetter(RejectReason reason) {
        RejectedImage rejected = harness.deadLetters.readValue();
        assertThat(harness.deadLetters.isEmpty()).as("more than one dead letter").isTrue();
        assertThat(rejected.getReason()).as("reason (%s)", rejected.getMessage()).isEqualTo(reason);
        return rejected;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
