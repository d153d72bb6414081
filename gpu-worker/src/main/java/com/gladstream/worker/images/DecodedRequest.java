package com.gladstream.worker.images;

import com.gladstream.glad.image.FloatImage;
import com.gladstream.schemas.InferenceRequest;
import com.gladstream.worker.kafka.WorkItem;

/** A request whose record and image decoded: ready for a micro-batch of its category. */
public record DecodedRequest(WorkItem item, InferenceRequest request, FloatImage image) {

    public String category() {
        return request.getImage().getCategory();
    }

    public String eventId() {
        return request.getImage().getEventId();
    }
}
