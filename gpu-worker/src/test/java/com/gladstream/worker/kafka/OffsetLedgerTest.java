package com.gladstream.worker.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.gladstream.schemas.RejectReason;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetLedgerTest {

    private final TopicPartition p0 = new TopicPartition("requests", 0);
    private final OffsetLedger ledger = new OffsetLedger();

    private Outcome done(WorkItem item) {
        return DeadLetters.of(item, null, RejectReason.PROCESSING_ERROR, "test");
    }

    @Test
    void onlyTheContiguousFinishedPrefixIsHandedOutForCommit() {
        ledger.assign(p0);
        WorkItem a = ledger.register(p0, 10, null, null, 0);
        WorkItem b = ledger.register(p0, 11, null, null, 0);
        WorkItem c = ledger.register(p0, 14, null, null, 0);
        ledger.finish(done(b));
        ledger.finish(done(c));
        assertThat(ledger.takeReady()).isEmpty();
        assertThat(ledger.size()).isEqualTo(3);

        ledger.finish(done(a));
        var ready = ledger.takeReady().get(p0);
        assertThat(ready.outcomes()).extracting(o -> o.item().offset()).containsExactly(10L, 11L, 14L);
        assertThat(ready.next().offset()).isEqualTo(15);
        assertThat(ledger.size()).isZero();
    }

    @Test
    void outcomesPolledBeforeARevocationOrRewindAreDiscarded() {
        ledger.assign(p0);
        WorkItem stale = ledger.register(p0, 3, null, null, 0);
        ledger.drop(p0);
        ledger.assign(p0);
        WorkItem fresh = ledger.register(p0, 3, null, null, 0);
        assertThat(ledger.finish(done(stale))).isFalse();
        assertThat(ledger.takeReady()).isEmpty();
        assertThat(ledger.finish(done(fresh))).isTrue();
        assertThat(ledger.takeReady().get(p0).next().offset()).isEqualTo(4);
    }
}
