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
import com.gladstream.streams.RegistryOutages;
import com.gladstream.streams.models.PublishedModels;
import com.gladstream.streams.validation.ImageRejectedException;
import com.gladstream.streams.validation.ImageValidator;

/**
 * Decodes and validates raw image records. Decoding happens here rather than in the source's serde
 * so a record that is not a readable {@code ImageEvent} becomes a dead letter carrying its bytes
 * and coordinates instead of being skipped by a deserialization handler.
 *
 * <p>The only exception that escapes is an unreachable schema registry: the record is fine, so
 * it must be retried, not dead-lettered.
 */
public final class ImageRouter implements Processor<byte[], byte[], byte[], RoutedImage> {

    private final Deserializer<ImageEvent> deserializer;
    private final long maxPixels;
    private final Set<String> configuredCategories;
    private ProcessorContext<byte[], RoutedImage> context;
    private ImageValidator validator;

    public ImageRouter(Deserializer<ImageEvent> deserializer, long maxPixels, Set<String> configuredCategories) {
        this.deserializer = deserializer;
        this.maxPixels = maxPixels;
        this.configuredCategories = Set.copyOf(configuredCategories);
    }

    @Override
    public void init(ProcessorContext<byte[], RoutedImage> context) {
        this.context = context;
        PublishedModels models = PublishedModels.in(context);
        // Known: configured up front, or a model for it has been published.
        this.validator = new ImageValidator(maxPixels, category -> category != null
                && (configuredCategories.contains(category) || models.latest(category).isPresent()));
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow(
                () -> new IllegalStateException("image records always come from the images topic"));
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
            validator.validate(image);
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
                .setSource(source.topic() + "-" + source.partition() + "@" + source.offset())
                .build();
        context.forward(record.withValue(new RoutedImage.Accepted(request)));
    }

    private void reject(Record<byte[], byte[]> record, RecordMetadata source, ImageEvent image,
                        RejectReason reason, String message) {
        RejectedImage rejection = RejectedImage.newBuilder()
                .setEventId(image == null ? null : image.getEventId())
                .setCameraId(image == null ? null : image.getCameraId())
                .setCategory(image == null ? null : image.getCategory())
                .setReason(reason)
                .setMessage(message == null ? reason.toString() : message)
                .setSourceTopic(source.topic())
                .setSourcePartition(source.partition())
                .setSourceOffset(source.offset())
                .setOriginalKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setOriginalValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setRejectedAt(now())
                .build();
        context.forward(record.withValue(new RoutedImage.Rejected(rejection)));
    }

    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }
}
