package com.gladstream.streams;

import org.apache.kafka.common.serialization.Serde;

import com.gladstream.schemas.AnomalyResult;
import com.gladstream.schemas.ControlEvent;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.InferenceRequest;
import com.gladstream.schemas.ModelPublished;
import com.gladstream.schemas.RejectedImage;
import com.gladstream.schemas.WindowStatistics;
import com.gladstream.schemas.registry.SchemaRegistryClient;
import com.gladstream.schemas.serde.AvroSerdes;

/** The Avro value serdes of every topic the topology touches, all bound to one schema registry. */
public record TopologySerdes(
        Serde<ImageEvent> images,
        Serde<InferenceRequest> requests,
        Serde<RejectedImage> rejections,
        Serde<ControlEvent> control,
        Serde<ModelPublished> models,
        Serde<AnomalyResult> results,
        Serde<WindowStatistics> statistics) {

    public static TopologySerdes using(SchemaRegistryClient registry, boolean autoRegister) {
        return new TopologySerdes(
                AvroSerdes.specific(ImageEvent.class, registry, autoRegister),
                AvroSerdes.specific(InferenceRequest.class, registry, autoRegister),
                AvroSerdes.specific(RejectedImage.class, registry, autoRegister),
                AvroSerdes.specific(ControlEvent.class, registry, autoRegister),
                AvroSerdes.specific(ModelPublished.class, registry, autoRegister),
                AvroSerdes.specific(AnomalyResult.class, registry, autoRegister),
                AvroSerdes.specific(WindowStatistics.class, registry, autoRegister));
    }
}
