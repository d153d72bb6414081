package com.gladstream.glad.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class TimingTest {

    @Test
    void summarisesRepetitionsByMedianAndRange() {
        Timing odd = new Timing(List.of(3.0, 1.0, 2.0));
        assertThat(odd.median()).isEqualTo(2.0);
        assertThat(odd.min()).isEqualTo(1.0);
        assertThat(odd.max()).isEqualTo(3.0);
        assertThat(new Timing(List.of(4.0, 1.0, 2.0, 3.0)).median()).isEqualTo(2.5);
    }

    @Test
    void comparesMediansAndSplitsIntoUnits() {
        Timing batch = new Timing(List.of(8.0, 8.8, 7.2));
        Timing perImage = batch.perUnit(8);
        assertThat(perImage.median()).isCloseTo(1.0, within(1e-12));
        assertThat(perImage.min()).isCloseTo(0.9, within(1e-12));
        assertThat(perImage.max()).isCloseTo(1.1, within(1e-12));
        assertThat(batch.ratioTo(new Timing(List.of(4.0)))).isEqualTo(2.0);
    }

    @Test
    void rejectsEmptyOrNegativeTimes() {
        assertThatThrownBy(() -> new Timing(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Timing(List.of(-1.0))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void roundRobinRunsWarmupsUnmeasuredAndInterleavesTheTasks() {
        List<String> order = new ArrayList<>();
        Map<String, Runnable> tasks = new LinkedHashMap<>();
        tasks.put("a", () -> order.add("a"));
        tasks.put("b", () -> order.add("b"));
        Map<String, Timing> timings = Timer.roundRobin(1, 2, tasks);
        assertThat(order).containsExactly("a", "b", "a", "b", "a", "b");
        assertThat(timings.keySet()).containsExactly("a", "b");
        assertThat(timings.get("a").seconds()).hasSize(2);
    }

    @Test
    void processMemoryReadsThisProcess() {
        ProcessMemory memory = ProcessMemory.now();
        assertThat(memory.heapUsedBytes()).isPositive();
        assertThat(memory.heapCommittedBytes()).isGreaterThanOrEqualTo(memory.heapUsedBytes());
        if (memory.residentBytes() >= 0) {
            assertThat(memory.peakResidentBytes()).isGreaterThanOrEqualTo(memory.residentBytes());
        }
    }

    @Test
    void peakDuringSeesMemoryTouchedAndReleasedByTheWork() throws InterruptedException {
        assumeTrue(ProcessMemory.now().residentBytes() >= 0, "no /proc/self/status on this system");
        int size = 256 << 20;
        for (boolean mayReset : new boolean[] {true, false}) {
            settleHeap();
            ProcessMemory.PeakDuring memory = ProcessMemory.peakDuring(() -> holdEngineArray(size), mayReset);
            assertThat(memory.beforeBytes()).isPositive();
            // The array is freed before the work returns; only a peak read while it ran can see it.
            assertThat(memory.riseBytes()).as("rise with mayReset=%s", mayReset).isGreaterThan(size / 2);
        }
    }

    /**
     * After a collection G1 gives heap back to the system on a background thread; in a JVM that ran
     * other tests that can be hundreds of MiB, which would offset the rise if it happened during the work.
     */
    private static void settleHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
    }

    /** Holds an engine array of {@code size} bytes for a while and frees it, as a forward's activations are. */
    private static void holdEngineArray(int size) {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray held = manager.full(new Shape(size / Float.BYTES), 1f);
            LockSupport.parkNanos(50_000_000);
            assertThat(held.getFloat(0)).isEqualTo(1f);
        }
    }
}
