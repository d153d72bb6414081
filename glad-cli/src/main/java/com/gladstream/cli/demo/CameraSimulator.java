package com.gladstream.cli.demo;

import com.gladstream.glad.data.MvtecCategory;
import com.gladstream.glad.data.Sample;
import com.gladstream.schemas.ImageEncoding;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.SampleLabel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A fleet of cameras: the category's test images (good and defective, in a shuffled order) and a
 * few corrupt frames, as image events spread over the cameras and paced at a set rate. It keeps
 * what it sent, so the demo can score what came back against the labels.
 */
final class CameraSimulator {

    /** One frame sent: its event, and the sample it came from (null for a corrupt frame). */
    record Frame(ImageEvent event, Sample sample, long sentAtNanos) {}

    private final MvtecCategory category;
    private final int cameras;
    private final int corrupt;
    private final double rate;
    private final long seed;

    CameraSimulator(MvtecCategory category, int cameras, int corrupt, double rate, long seed) {
        this.category = category;
        this.cameras = cameras;
        this.corrupt = corrupt;
        this.rate = rate;
        this.seed = seed;
    }

    /** The frames to send, in order: every test image once and {@code corrupt} truncated ones among them. */
    List<Frame> plan(String runId) {
        Random random = new Random(seed);
        List<Sample> samples = new ArrayList<>(category.testSamples());
        Collections.shuffle(samples, random);
        List<Frame> frames = new ArrayList<>();
        int n = 0;
        for (Sample sample : samples) {
            frames.add(new Frame(event(runId, n++, sample, read(sample)), sample, 0));
        }
        for (int i = 0; i < corrupt && !samples.isEmpty(); i++) {
            byte[] whole = read(samples.get(i % samples.size()));
            byte[] truncated = Arrays.copyOf(whole, whole.length / 3);
            frames.add(random.nextInt(frames.size() + 1), new Frame(event(runId, n++, samples.get(i % samples.size()),
                    truncated), null, 0));
        }
        return frames;
    }

    /** Sends {@code frames} through {@code send} at the configured rate, each stamped with its capture and send time. */
    List<Frame> run(List<Frame> frames, Consumer<Frame> send) throws InterruptedException {
        List<Frame> sent = new ArrayList<>(frames.size());
        long interval = rate <= 0 ? 0 : (long) (1e9 / rate);
        long next = System.nanoTime();
        for (Frame frame : frames) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            ImageEvent stamped = ImageEvent.newBuilder(frame.event()).setCaptureTime(Instant.now()).build();
            Frame out = new Frame(stamped, frame.sample(), System.nanoTime());
            send.accept(out);
            sent.add(out);
            next += interval;
        }
        return sent;
    }

    private ImageEvent event(String runId, int n, Sample sample, byte[] bytes) {
        String name = sample.path().getFileName().toString().toLowerCase(Locale.ROOT);
        int[] size = size(bytes);
        return ImageEvent.newBuilder()
                .setEventId(runId + "-" + n)
                .setCameraId("camera-" + (1 + n % cameras))
                .setCategory(category.name())
                .setCaptureTime(Instant.now())
                .setImageBytes(ByteBuffer.wrap(bytes))
                .setEncoding(name.endsWith(".png") ? ImageEncoding.PNG
                        : name.endsWith(".bmp") ? ImageEncoding.BMP : ImageEncoding.JPEG)
                .setWidth(size[0])
                .setHeight(size[1])
                .setLabel(SampleLabel.UNLABELED)
                .setAttributes(Map.of("source", category.relativePath(sample)))
                .build();
    }

    /** Width and height from the image header; the sizes of the whole file for a truncated one. */
    private int[] size(byte[] bytes) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            var readers = ImageIO.getImageReaders(in);
            if (readers.hasNext()) {
                ImageReader reader = readers.next();
                try {
                    reader.setInput(in, true, true);
                    return new int[] {reader.getWidth(0), reader.getHeight(0)};
                } finally {
                    reader.dispose();
                }
            }
        } catch (IOException e) {
            // reported as a size of 0 below: the streams app rejects the frame
        }
        return new int[] {0, 0};
    }

    private static byte[] read(Sample sample) {
        try {
            return Files.readAllBytes(sample.path());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + sample.path(), e);
        }
    }

    /** A prefix that makes this run's event ids unique, so runs never overwrite each other's heatmaps. */
    static String runId() {
        return "demo-" + Long.toString(System.currentTimeMillis(), 36);
    }
}
