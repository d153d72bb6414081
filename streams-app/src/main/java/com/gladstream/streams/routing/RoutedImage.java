package com.gladstream.streams.routing;

import java.util.List;

import com.gladstream.schemas.InferenceRequest;
import com.gladstream.schemas.RejectedImage;

/** What the router decided about one image record. */
public sealed interface RoutedImage {

    /** Fit for inference. */
    record Accepted(InferenceRequest request) implements RoutedImage {}

    /** Bound for the dead-letter topic. */
    record Rejected(RejectedImage rejection) implements RoutedImage {}

    /** The request, as a list of zero or one for {@code flatMapValues}. */
    default List<InferenceRequest> requests() {
        return this instanceof Accepted accepted ? List.of(accepted.request()) : List.of();
    }

    /** The rejection, as a list of zero or one for {@code flatMapValues}. */
    default List<RejectedImage> rejections() {
        return this instanceof Rejected rejected ? List.of(rejected.rejection()) : List.of();
    }
}
