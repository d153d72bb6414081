package com.gladstream.streams.routing;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Set;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.InferenceRequest;
import com.gladstream.schemas.RejectReason;
import com.gladstream.schemas.RejectedImage;
import com.gladstream.schemas.config.RecordLimits;
import com.gladstream.streams.RegistryOutages;
import com.gladstream.streams.StreamsSettings;
import com.gladstream.streams.models.PublishedModels;
import com.gladstream.streams.validation.ImageRejectedException;
import com.gladstream.streams.validation.ImageValidator;

/**
 * Decodes and validates raw image records. Decoding happens here rather than in the source's serde
 * so a record that is not a readable {@code ImageEvent} becomes a dead letter carrying its bytes
 * and coordinates instead of being skipped by a deserialization handler.
 *
 * <p>A record larger than the configured cap ({@link RecordLimits}) is rejected as {@code TOO_LARGE}
 * before it is decoded, and its dead letter leaves out the original value (and a key over
 * {@link #MAX_KEPT_KEY_BYTES}), so the dead letter itself always fits the topic: the record stays
 * at the coordinates the dead letter names. Every other dead letter keeps the record whole.
 *
 * <p>The only exception that escapes is a schema registry outage: the record is fine, so it must
 * be retried, not dead-lettered.
 */
public final class ImageRouter implements Processor<byte[], byte[], byte[], RoutedImage> {

    /** Longest original key a dead letter of an oversized record keeps. */
    public static final int MAX_KEPT_KEY_BYTES = 1024;
    /** Longest reason message a dead letter carries. */
    static final int MAX_MESSAGE_CHARS = 2000;
    /** Longest event id, camera id or category a dead letter repeats (the original value has them whole). */
    static final int MAX_ID_CHARS = 256;

    private final Deserializer<ImageEvent> deserializer;
    private final StreamsSettings settings;
    private final Set<String> configuredCategories;
    private ProcessorContext<byte[], RoutedImage> context;
    private ImageValidator validator;

    public ImageRouter(Deserializer<ImageEvent> deserializer, StreamsSettings settings) {
        this.deserializer = deserializer;
        this.settings = settings;
        this.configuredCategories = Set.copyOf(settings.categories());
    }

    @Override
    public void init(ProcessorContext<byte[], RoutedImage> context) {
        this.context = context;
        PublishedModels models = PublishedModels.in(context);
        // Known: configured up front, or a model for it has been published.
        this.validator = new ImageValidator(settings.maxDecodedBytes(), settings.maxClockSkew(), settings.uriPolicy(),
                category -> category != null
                        && (configuredCategories.contains(category) || models.latest(category).isPresent()));
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow(
                () -> new IllegalStateException("image records always come from the images topic"));
        long size = length(record.key()) + length(record.value());
        int cap = settings.recordLimits().maxInputBytes();
        if (size > cap) {
            reject(record, source, null, RejectReason.TOO_LARGE, "the record has " + size
                    + " bytes (key and value), over the cap of " + cap + " (" + RecordLimits.SETTING
                    + "); its value is left out of this dead letter and stays at " + coordinates(source));
            return;
        }
        ImageEvent image;
        try {
            image = record.value() == null ? null : deserializer.deserialize(source.topic(), record.value());
        } catch (RuntimeException e) {
            if (RegistryOutages.isOutage(e)) {
                throw e;
            }
            reject(record, source, null, RejectReason.UNDECODABLE_RECORD, e.getMessage());
            return;
        }
        if (image == null) {
            reject(record, source, null, RejectReason.UNDECODABLE_RECORD, "the record has no value");
            return;
        }
        try {
            validator.validate(image, receivedAt(record));
        } catch (ImageRejectedException e) {
            reject(record, source, image, e.reason(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            reject(record, source, image, RejectReason.PROCESSING_ERROR, "validation failed: " + e);
            return;
        }
        InferenceRequest request = InferenceRequest.newBuilder()
                .setImage(image)
                .setValidatedAt(now())
                .setSource(coordinates(source))
                .build();
        context.forward(record.withValue(new RoutedImage.Accepted(request)));
    }

    private void reject(Record<byte[], byte[]> record, RecordMetadata source, ImageEvent image,
                        RejectReason reason, String message) {
        boolean whole = length(record.key()) + length(record.value()) <= settings.recordLimits().maxInputBytes();
        byte[] key = whole || length(record.key()) <= MAX_KEPT_KEY_BYTES ? record.key() : null;
        byte[] value = whole ? record.value() : null;
        // Bounded so that a dead letter is at most the original record plus a few KiB, which the topic's headroom holds.
        RejectedImage rejection = RejectedImage.newBuilder()
                .setEventId(image == null ? null : bounded(image.getEventId(), MAX_ID_CHARS))
                .setCameraId(image == null ? null : bounded(image.getCameraId(), MAX_ID_CHARS))
                .setCategory(image == null ? null : bounded(image.getCategory(), MAX_ID_CHARS))
                .setReason(reason)
                .setMessage(bounded(message == null ? reason.toString() : message, MAX_MESSAGE_CHARS))
                .setSourceTopic(source.topic())
                .setSourcePartition(source.partition())
                .setSourceOffset(source.offset())
                .setOriginalKey(key == null ? null : ByteBuffer.wrap(key))
                .setOriginalValue(value == null ? null : ByteBuffer.wrap(value))
                .setRejectedAt(now())
                .build();
        context.forward(record.withKey(key).withValue(new RoutedImage.Rejected(rejection)));
    }

    /** The earlier of the record's timestamp (when it has one) and this service's clock. */
    private Instant receivedAt(Record<byte[], byte[]> record) {
        long now = context.currentSystemTimeMs();
        return Instant.ofEpochMilli(record.timestamp() < 0 ? now : Math.min(record.timestamp(), now));
    }

    private static String bounded(String text, int maxChars) {
        return text == null || text.length() <= maxChars ? text : text.substring(0, maxChars) + "...";
    }

    private static long length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static String coordinates(RecordMetadata source) {
        return source.topic() + "-" + source.partition() + "@" + source.offset();
    }

    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }
}
