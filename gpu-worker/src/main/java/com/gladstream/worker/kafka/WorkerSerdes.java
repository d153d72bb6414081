package com.gladstream.worker.kafka;

import com.gladstream.schemas.AnomalyResult;
import com.gladstream.schemas.ImageEvent;
import com.gladstream.schemas.InferenceRequest;
import com.gladstream.schemas.ModelPublished;
import com.gladstream.schemas.RejectedImage;
import com.gladstream.schemas.WindowStatistics;
import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.schemas.registry.HttpSchemaRegistryClient;
import com.gladstream.schemas.registry.SchemaRegistryClient;
import com.gladstream.schemas.serde.AvroSerdes;
import org.apache.kafka.common.serialization.Serde;

/**
 * The Avro serdes of the worker and of the clients around it (the demo's cameras and result
 * readers, the operator console), one per record type, all through one registry client.
 */
public record WorkerSerdes(
        SchemaRegistryClient registry,
        Serde<ImageEvent> images,
        Serde<InferenceRequest> requests,
        Serde<AnomalyResult> results,
        Serde<RejectedImage> rejections,
        Serde<ModelPublished> models,
        Serde<WindowStatistics> statistics) {

    /** Serdes through the configured registry, with its credentials ({@code registry.basic.auth.user.info}). */
    public static WorkerSerdes from(ServiceConfig config) {
        return using(HttpSchemaRegistryClient.configured(config));
    }

    public static WorkerSerdes using(SchemaRegistryClient registry) {
        return new WorkerSerdes(registry,
                AvroSerdes.specific(ImageEvent.class, registry, true),
                AvroSerdes.specific(InferenceRequest.class, registry, true),
                AvroSerdes.specific(AnomalyResult.class, registry, true),
                AvroSerdes.specific(RejectedImage.class, registry, true),
                AvroSerdes.specific(ModelPublished.class, registry, true),
                AvroSerdes.specific(WindowStatistics.class, registry, true));
    }
}
