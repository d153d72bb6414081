package com.gladstream.streams;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.gladstream.schemas.ImageEncoding;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.ModelPublished;
import com.gladstream.schemas.RejectReason;

/**
 * The bad-input corpus: the image files under {@code src/test/resources/bad-inputs} and its
 * {@code manifest.tsv}, one line per kind of input with how it is sent and what must become of it
 * (a request, or a dead letter with one of the listed reasons).
 *
 * <p>{@link #write} made the files; {@link BadInputCorpusWriter} runs it. Record-level cases (bytes
 * that are not an image event) need the registry's schema ids, so they are built when sent.
 */
final class BadInputCorpus {

    static final String CATEGORY = "bottle";
    /** The cap the suite runs with, so the oversized case stays small. */
    static final int MAX_RECORD_BYTES = 64 * 1024;
    /** 512 × 512 8-bit RGB fits; the same in 16-bit does not. */
    static final long MAX_DECODED_BYTES = 1024 * 1024;

    /** One line of the manifest. {@code expected} holds REQUEST, or the reasons any one of which is right. */
    record Case(String name, String file, ImageEncoding encoding, int width, int height, String send, String uri,
                Set<String> expected, String description) {

        boolean expectsRequest() {
            return expected.contains("REQUEST");
        }
    }

    private BadInputCorpus() {}

    static List<Case> load() {
        List<Case> cases = new ArrayList<>();
        for (String line : resource("manifest.tsv").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            cases.add(new Case(f[0], f[1], ImageEncoding.valueOf(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]),
                    f[5], f[6], Set.of(f[7].split("\\|")), f[8]));
        }
        return cases;
    }

    /** The record value (Confluent wire format unless the case is about that) and key of one instance of {@code c}. */
    static byte[][] record(Case c, TopologySerdes serdes, String topic, Instant now) {
        byte[] key = "cam-corpus".getBytes(StandardCharsets.UTF_8);
        ImageEvent.Builder event = TestImages.event("cam-corpus", CATEGORY, c.file().equals("-") ? null : bytes(c.file()),
                c.encoding(), c.width(), c.height()).setCaptureTime(now.minusSeconds(1));
        switch (c.send()) {
            case "inline" -> { }
            case "uri" -> event.setImageBytes(null).setImageUri(c.uri());
            case "inline-and-uri" -> event.setImageUri(c.uri());
            case "unknown-category" -> event.setCategory("no-such-category");
            case "skewed" -> event.setCaptureTime(now.plus(Duration.ofDays(1)));
            case "null-key" -> key = null;
            case "oversized" -> event.setImageBytes(ByteBuffer.wrap(new byte[MAX_RECORD_BYTES + 1]));
            default -> { }
        }
        byte[] valid = serdes.images().serializer().serialize(topic, event.build());
        byte[] value = switch (c.send()) {
            case "not-avro" -> ("not an image event " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
            case "wrong-magic-byte" -> withFirstByte(valid, (byte) 1);
            case "unknown-schema-id" -> ByteBuffer.allocate(valid.length).put(valid).putInt(1, 0x7fff_fff0).array();
            case "truncated-avro" -> Arrays.copyOf(valid, valid.length / 2);
            case "short-header" -> new byte[] {0, 0, 1};
            case "null-value" -> null;
            case "null-key-null-value" -> {
                key = null;
                yield null;
            }
            // Registered under a subject of its own: the images subject refuses it as incompatible.
            case "wrong-schema" -> serdes.models().serializer().serialize("corpus.models", ModelPublished.newBuilder()
                    .setCategory(CATEGORY).setVersion("v0").setUri("file:///models/v0").setThreshold(1)
                    .setTrainingSamples(1).setDataHash("sha256:0").setPublishedAt(now).build());
            default -> valid;
        };
        return new byte[][] {key, value};
    }

    /** Writes the corpus files and the manifest into {@code dir}. */
    static void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, byte[]> files = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>(List.of(
                "# name\tfile\tencoding\twidth\theight\tsend\turi\texpected\tdescription"));
        byte[] png = TestImages.png(32, 32);
        byte[] jpeg = TestImages.encoded(32, 32, ImageEncoding.JPEG);
        byte[] bmp = TestImages.encoded(32, 32, ImageEncoding.BMP);
        PngChunks chunks = PngChunks.of(png);
        byte[] badCrc = png.clone();
        badCrc[badCrc.length - 20] ^= 0x55;
        byte[] wrongMagic = withFirstByte(png, (byte) 0x88);
        byte[] random = new byte[2048];
        new Random(13).nextBytes(random);

        files.put("valid.png", png);
        files.put("valid.jpg", jpeg);
        files.put("valid.bmp", bmp);
        files.put("png-truncated.png", TestImages.truncated(png, 0.5));
        files.put("png-signature-only.png", Arrays.copyOf(png, 12));
        files.put("png-bad-crc.png", badCrc);
        files.put("png-no-idat.png", chunks.withImageData(null).bytes());
        files.put("png-short-zlib.png", chunks.withImageData(TestImages.truncated(chunks.imageData(), 0.6)).bytes());
        files.put("png-zlib-bomb.png", chunks.withImageData(PngChunks.zlib(new byte[32 << 20])).bytes());
        files.put("png-50000x50000.png", PngChunks.header(50_000, 50_000, 8).withImageData(PngChunks.zlib(new byte[64]))
                .bytes());
        files.put("png-512-8bit.png", PngChunks.black(512, 512, 8));
        files.put("png-512-16bit.png", PngChunks.black(512, 512, 16));
        files.put("png-0x0.png", PngChunks.header(0, 0, 8).withImageData(PngChunks.zlib(new byte[0])).bytes());
        files.put("png-wrong-magic.png", wrongMagic);
        files.put("random.bin", random);
        files.put("jpeg-truncated.jpg", TestImages.truncated(jpeg, 0.6));
        files.put("jpeg-cmyk.jpg", TestImages.fourComponentJpeg(32, 32));
        files.put("jpeg-arithmetic.jpg", TestImages.withFrameMarker(jpeg, 0xC9));
        files.put("jpeg-lossless.jpg", TestImages.withFrameMarker(jpeg, 0xC3));
        files.put("jpeg-no-frame.jpg", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9});
        files.put("bmp-truncated.bmp", TestImages.truncated(bmp, 0.5));
        files.put("bmp-50000x50000.bmp", bmpHeader(50_000, 50_000));
        files.put("bmp-0x0.bmp", bmpHeader(0, 0));
        files.put("empty.bin", new byte[0]);

        line(lines, "valid-png", "valid.png", "PNG", 32, 32, "inline", "REQUEST", "a valid PNG, as a control");
        line(lines, "valid-jpeg", "valid.jpg", "JPEG", 32, 32, "inline", "REQUEST", "a valid JPEG, as a control");
        line(lines, "valid-bmp", "valid.bmp", "BMP", 32, 32, "inline", "REQUEST", "a valid BMP, as a control");
        line(lines, "png-512-8bit", "png-512-8bit.png", "PNG", 512, 512, "inline", "REQUEST",
                "512×512 8-bit RGB: 786 432 decoded bytes, under the 1 MiB cap");
        line(lines, "null-key", "valid.png", "PNG", 32, 32, "null-key", "REQUEST", "a valid image without a record key");
        line(lines, "png-truncated", "png-truncated.png", "PNG", 32, 32, "inline", "CORRUPT_IMAGE", "PNG cut in half");
        line(lines, "png-signature-only", "png-signature-only.png", "PNG", 32, 32, "inline", "CORRUPT_IMAGE",
                "PNG signature and 4 bytes");
        line(lines, "png-bad-crc", "png-bad-crc.png", "PNG", 32, 32, "inline", "CORRUPT_IMAGE", "one byte flipped in IDAT");
        line(lines, "png-no-idat", "png-no-idat.png", "PNG", 32, 32, "inline", "CORRUPT_IMAGE",
                "IHDR and IEND only, every CRC valid");
        line(lines, "png-short-zlib", "png-short-zlib.png", "PNG", 32, 32, "inline", "CORRUPT_IMAGE",
                "IDAT holds 60 % of its zlib stream, CRC valid");
        line(lines, "png-zlib-bomb", "png-zlib-bomb.png", "PNG", 32, 32, "inline", "CORRUPT_IMAGE",
                "32×32 header, IDAT inflates to 32 MiB (decompression bomb)");
        line(lines, "png-50000x50000", "png-50000x50000.png", "PNG", 50_000, 50_000, "inline", "TOO_LARGE",
                "header declares 50 000 × 50 000 (pixel bomb)");
        line(lines, "png-512-16bit", "png-512-16bit.png", "PNG", 512, 512, "inline", "TOO_LARGE",
                "512×512 16-bit RGB: 1.5 MiB decoded, over the 1 MiB cap");
        line(lines, "png-0x0", "png-0x0.png", "PNG", 0, 0, "inline", "CORRUPT_IMAGE", "header declares 0 × 0");
        line(lines, "png-wrong-magic", "png-wrong-magic.png", "PNG", 32, 32, "inline", "CORRUPT_IMAGE",
                "first signature byte changed");
        line(lines, "png-declared-jpeg", "valid.png", "JPEG", 32, 32, "inline", "CORRUPT_IMAGE",
                "PNG bytes declared as JPEG");
        line(lines, "png-size-mismatch", "valid.png", "PNG", 64, 64, "inline", "SIZE_MISMATCH",
                "32×32 PNG declared 64×64");
        line(lines, "negative-size", "valid.png", "PNG", -1, 32, "inline", "SIZE_MISMATCH", "declared width -1");
        line(lines, "random-bytes", "random.bin", "PNG", 32, 32, "inline", "CORRUPT_IMAGE", "2 KiB of random bytes");
        line(lines, "jpeg-truncated", "jpeg-truncated.jpg", "JPEG", 32, 32, "inline", "CORRUPT_IMAGE",
                "JPEG cut at 60 %, no EOI");
        line(lines, "jpeg-cmyk", "jpeg-cmyk.jpg", "JPEG", 32, 32, "inline", "UNSUPPORTED_ENCODING",
                "JPEG with 4 colour components");
        line(lines, "jpeg-arithmetic", "jpeg-arithmetic.jpg", "JPEG", 32, 32, "inline", "UNSUPPORTED_ENCODING",
                "arithmetic-coded frame (SOF9)");
        line(lines, "jpeg-lossless", "jpeg-lossless.jpg", "JPEG", 32, 32, "inline", "UNSUPPORTED_ENCODING",
                "lossless frame (SOF3)");
        line(lines, "jpeg-no-frame", "jpeg-no-frame.jpg", "JPEG", 32, 32, "inline", "CORRUPT_IMAGE", "SOI then EOI");
        line(lines, "bmp-truncated", "bmp-truncated.bmp", "BMP", 32, 32, "inline", "CORRUPT_IMAGE", "BMP cut in half");
        // The JDK's BMP reader refuses a header whose pixel data is not there before any size is read.
        line(lines, "bmp-50000x50000", "bmp-50000x50000.bmp", "BMP", 50_000, 50_000, "inline", "CORRUPT_IMAGE",
                "54-byte header declaring 50 000 × 50 000 (pixel bomb) and no pixels");
        line(lines, "bmp-0x0", "bmp-0x0.bmp", "BMP", 0, 0, "inline", "CORRUPT_IMAGE", "header declares 0 × 0");
        line(lines, "empty-bytes", "empty.bin", "PNG", 32, 32, "inline", "MISSING_PAYLOAD", "zero-length imageBytes");
        line(lines, "unknown-encoding", "valid.png", "UNKNOWN", 32, 32, "inline", "UNSUPPORTED_ENCODING",
                "encoding UNKNOWN");
        line(lines, "unknown-category", "valid.png", "PNG", 32, 32, "unknown-category", "UNKNOWN_CATEGORY",
                "no model for the category");
        lines.add(String.join("\t", "bytes-and-uri", "valid.png", "PNG", "32", "32", "inline-and-uri",
                "file:///etc/hostname", "URI_NOT_ALLOWED", "both imageBytes and imageUri"));
        lines.add(String.join("\t", "uri-outside-roots", "-", "PNG", "32", "32", "uri", "file:///etc/passwd",
                "URI_NOT_ALLOWED", "a file URI outside any image root"));
        lines.add(String.join("\t", "uri-missing-file", "-", "PNG", "32", "32", "uri", "file:///no/such/frame.png",
                "MISSING_PAYLOAD|URI_NOT_ALLOWED", "a file URI that does not exist"));
        lines.add(String.join("\t", "uri-ftp", "-", "PNG", "32", "32", "uri", "ftp://cameras.example/frame.png",
                "MISSING_PAYLOAD|URI_NOT_ALLOWED", "an unsupported URI scheme"));
        line(lines, "clock-skew", "valid.png", "PNG", 32, 32, "skewed", "CLOCK_SKEW", "captureTime a day ahead");
        line(lines, "oversized-record", "-", "PNG", 32, 32, "oversized", "TOO_LARGE",
                "a record over the 64 KiB cap (records.max-bytes)");
        line(lines, "not-avro", "-", "PNG", 32, 32, "not-avro", "UNDECODABLE_RECORD", "UTF-8 text, no wire format");
        line(lines, "wrong-magic-byte", "valid.png", "PNG", 32, 32, "wrong-magic-byte", "UNDECODABLE_RECORD",
                "wire format with magic byte 1");
        line(lines, "unknown-schema-id", "valid.png", "PNG", 32, 32, "unknown-schema-id", "UNDECODABLE_RECORD",
                "a schema id never registered");
        line(lines, "wrong-schema", "-", "PNG", 32, 32, "wrong-schema", "UNDECODABLE_RECORD",
                "a ModelPublished record on the images topic");
        line(lines, "truncated-avro", "valid.png", "PNG", 32, 32, "truncated-avro", "UNDECODABLE_RECORD",
                "an image event cut in half");
        line(lines, "short-header", "-", "PNG", 32, 32, "short-header", "UNDECODABLE_RECORD",
                "3 bytes, shorter than the wire-format header");
        line(lines, "null-value", "-", "PNG", 32, 32, "null-value", "UNDECODABLE_RECORD", "a tombstone (null value)");
        line(lines, "null-key-null-value", "-", "PNG", 32, 32, "null-key-null-value", "UNDECODABLE_RECORD",
                "null key and null value");

        for (var file : files.entrySet()) {
            Files.write(dir.resolve(file.getKey()), file.getValue());
        }
        Files.writeString(dir.resolve("manifest.tsv"), lines.stream().collect(Collectors.joining("\n", "", "\n")));
    }

    private static void line(List<String> lines, String name, String file, String encoding, int width, int height,
                             String send, String expected, String description) {
        lines.add(String.join("\t", name, file, encoding, String.valueOf(width), String.valueOf(height), send, "",
                expected, description));
    }

    /** A BMP file header and BITMAPINFOHEADER for 24-bit {@code width × height}, without pixels. */
    private static byte[] bmpHeader(int width, int height) {
        return ByteBuffer.allocate(54).order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) 'B').put((byte) 'M').putInt(54).putInt(0).putInt(54)
                .putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) 24)
                .putInt(0).putInt(0).putInt(2835).putInt(2835).putInt(0).putInt(0).array();
    }

    private static byte[] withFirstByte(byte[] bytes, byte first) {
        byte[] copy = bytes.clone();
        copy[0] = first;
        return copy;
    }

    private static byte[] bytes(String file) {
        try (InputStream in = BadInputCorpus.class.getResourceAsStream("/bad-inputs/" + file)) {
            if (in == null) {
                throw new IllegalStateException("corpus file " + file + " is missing from the test resources");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String file) {
        return new String(bytes(file), StandardCharsets.UTF_8);
    }

    /** For assertions: the reason names of {@link RejectReason}, checked against the manifest. */
    static Set<String> knownOutcomes() {
        Set<String> outcomes = Arrays.stream(RejectReason.values()).map(Enum::name).collect(Collectors.toSet());
        outcomes.add("REQUEST");
        return outcomes;
    }
}
