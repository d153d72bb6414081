package com.gladstream.worker.kafka;

import com.gladstream.schemas.AnomalyResult;
import com.gladstream.schemas.RejectedImage;

/** What becomes of one request: exactly one result or one dead letter, produced when its offset commits. */
public sealed interface Outcome permits Outcome.Scored, Outcome.Rejected {

    WorkItem item();

    record Scored(WorkItem item, AnomalyResult result) implements Outcome {}

    record Rejected(WorkItem item, RejectedImage deadLetter) implements Outcome {}
}
