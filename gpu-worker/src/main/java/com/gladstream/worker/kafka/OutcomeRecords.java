package com.gladstream.worker.kafka;

import com.gladstream.schemas.config.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The records an outcome is produced as: a result keyed by event id to the results topic (so a
 * replay is idempotent for keyed consumers too), a dead letter keyed by the request's key to the
 * dead-letter topic. Serialising here, before a send, means a registry failure aborts the
 * transaction instead of dropping a record.
 */
public final class OutcomeRecords {

    private final Topics topics;
    private final WorkerSerdes serdes;

    public OutcomeRecords(Topics topics, WorkerSerdes serdes) {
        this.topics = topics;
        this.serdes = serdes;
    }

    public ProducerRecord<byte[], byte[]> toRecord(Outcome outcome) {
        if (outcome instanceof Outcome.Scored scored) {
            return new ProducerRecord<>(topics.results(), scored.result().getEventId().getBytes(StandardCharsets.UTF_8),
                    serdes.results().serializer().serialize(topics.results(), scored.result()));
        }
        Outcome.Rejected rejected = (Outcome.Rejected) outcome;
        return new ProducerRecord<>(topics.deadLetter(), rejected.item().key(),
                serdes.rejections().serializer().serialize(topics.deadLetter(), rejected.deadLetter()));
    }
}
