package com.gladstream.worker.kafka;

import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.RejectReason;
import com.gladstream.schemas.RejectedImage;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Dead letters for requests the worker cannot turn into results: the raw record kept whole, with the reason. */
public final class DeadLetters {

    private DeadLetters() {}

    /** @param image the decoded image event, or null when the record itself did not decode */
    public static Outcome.Rejected of(WorkItem item, ImageEvent image, RejectReason reason, String message) {
        RejectedImage deadLetter = RejectedImage.newBuilder()
                .setEventId(image == null ? null : image.getEventId())
                .setCameraId(image == null ? null : image.getCameraId())
                .setCategory(image == null ? null : image.getCategory())
                .setReason(reason)
                .setMessage(message == null ? reason.name() : message)
                .setSourceTopic(item.partition().topic())
                .setSourcePartition(item.partition().partition())
                .setSourceOffset(item.offset())
                .setOriginalKey(item.key() == null ? null : ByteBuffer.wrap(item.key()))
                .setOriginalValue(item.value() == null ? null : ByteBuffer.wrap(item.value()))
                .setRejectedAt(Instant.now())
                .build();
        return new Outcome.Rejected(item, deadLetter);
    }
}
