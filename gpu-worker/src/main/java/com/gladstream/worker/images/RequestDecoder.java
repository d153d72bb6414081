package com.gladstream.worker.images;

import com.gladstream.glad.data.DataException;
import com.gladstream.glad.data.ImageLoader;
import com.gladstream.glad.data.ImageTooLargeException;
import com.gladstream.glad.image.FloatImage;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.InferenceRequest;
import com.gladstream.schemas.RejectReason;
import com.gladstream.schemas.claimcheck.ClaimCheckReader;
import com.gladstream.schemas.claimcheck.PayloadTooLargeException;
import com.gladstream.schemas.claimcheck.UriNotAllowedException;
import com.gladstream.schemas.serde.Buffers;
import com.gladstream.worker.kafka.RegistryRetry;
import com.gladstream.worker.kafka.WorkItem;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Turns a request record into a decoded image under limits, whatever got past validation: the
 * record must decode, the image must come inline or from an allowed URI, be at most the byte cap
 * and, by its header, the pixel cap (from the streams app's {@code validation.max-decoded-bytes}); metadata is
 * never read. Every failure is a {@link RequestRejectedException} with its dead-letter reason.
 */
public final class RequestDecoder {

    /** Images are decoded as RGB; the detector fits them to its model's channels. */
    private static final int CHANNELS = 3;

    private final Deserializer<InferenceRequest> requests;
    private final RegistryRetry registry;
    private final ClaimCheckReader claimChecks;
    private final long maxBytes;
    private final long maxPixels;

    public RequestDecoder(Deserializer<InferenceRequest> requests, RegistryRetry registry, ClaimCheckReader claimChecks,
            long maxBytes, long maxPixels) {
        this.requests = requests;
        this.registry = registry;
        this.claimChecks = claimChecks;
        this.maxBytes = maxBytes;
        this.maxPixels = maxPixels;
    }

    public DecodedRequest decode(WorkItem item) {
        InferenceRequest request = request(item);
        return new DecodedRequest(item, request, decodeImage(request.getImage()));
    }

    /** The event's image, inline or by URI, decoded under the same caps as a request's (the retraining samples). */
    public FloatImage decodeImage(ImageEvent image) {
        byte[] encoded = encoded(image);
        if (encoded.length > maxBytes) {
            throw new RequestRejectedException(RejectReason.TOO_LARGE, image,
                    "image of " + encoded.length + " bytes is over the cap of " + maxBytes, null);
        }
        FloatImage decoded;
        try {
            decoded = ImageLoader.decodeUntrusted(encoded, "event " + image.getEventId(), CHANNELS, maxPixels);
        } catch (ImageTooLargeException e) {
            throw new RequestRejectedException(RejectReason.TOO_LARGE, image, e.getMessage(), e);
        } catch (DataException e) {
            throw new RequestRejectedException(RejectReason.CORRUPT_IMAGE, image, e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new RequestRejectedException(RejectReason.TOO_LARGE, image, "image does not fit in memory", null);
        }
        return decoded;
    }

    private InferenceRequest request(WorkItem item) {
        String topic = item.partition().topic();
        if (item.value() == null) {
            throw new RequestRejectedException(RejectReason.UNDECODABLE_RECORD, null, "the record has no value", null);
        }
        try {
            registry.awaitWriterSchema(item.value(), topic);
            InferenceRequest request = requests.deserialize(topic, item.value());
            if (request.getImage() == null || request.getImage().getCategory() == null) {
                throw new SerializationException("request without an image or category");
            }
            return request;
        } catch (SerializationException e) {
            throw new RequestRejectedException(RejectReason.UNDECODABLE_RECORD, null, e.getMessage(), e);
        }
    }

    private byte[] encoded(ImageEvent image) {
        ByteBuffer inline = image.getImageBytes();
        if (inline != null) {
            if (image.getImageUri() != null) {
                throw new RequestRejectedException(RejectReason.URI_NOT_ALLOWED, image,
                        "both imageBytes and imageUri are set: send the image one way, inline or by reference", null);
            }
            return Buffers.toArray(inline);
        }
        if (image.getImageUri() == null) {
            throw new RequestRejectedException(RejectReason.MISSING_PAYLOAD, image, "neither imageBytes nor imageUri is set", null);
        }
        try {
            return claimChecks.read(image.getImageUri());
        } catch (UriNotAllowedException e) {
            throw new RequestRejectedException(RejectReason.URI_NOT_ALLOWED, image, e.getMessage(), e);
        } catch (PayloadTooLargeException e) {
            throw new RequestRejectedException(RejectReason.TOO_LARGE, image, e.getMessage(), e);
        } catch (IOException e) {
            throw new RequestRejectedException(RejectReason.MISSING_PAYLOAD, image,
                    "imageUri could not be read: " + e.getMessage(), e);
        }
    }
}
