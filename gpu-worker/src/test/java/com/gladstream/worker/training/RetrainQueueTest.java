package com.gladstream.worker.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.gladstream.worker.training.RetrainQueue.Admission;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RetrainQueueTest {

    @Test
    void requestsDuringARunQueueOneMoreRunThatLaterRequestsJoin() throws Exception {
        List<String> runs = new CopyOnWriteArrayList<>();
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CountDownLatch allDone = new CountDownLatch(2);
        try (RetrainQueue<String> queue = new RetrainQueue<>((category, requests) -> {
            runs.add(category + ":" + String.join(",", requests));
            if (runs.size() == 1) {
                firstRunning.countDown();
                await(releaseFirst);
            }
            allDone.countDown();
        })) {
            assertThat(queue.submit("tiles", "r1")).isEqualTo(Admission.STARTED);
            assertThat(firstRunning.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(queue.submit("tiles", "r2")).isEqualTo(Admission.QUEUED);
            assertThat(queue.submit("tiles", "r3")).isEqualTo(Admission.COALESCED);
            assertThat(queue.submit("tiles", "r4")).isEqualTo(Admission.COALESCED);
            assertThat(queue.isBusy("tiles")).isTrue();
            releaseFirst.countDown();
            assertThat(allDone.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(queue.shutdown(5)).isTrue();
            assertThat(runs).containsExactly("tiles:r1", "tiles:r2,r3,r4");
        }
    }

    @Test
    void requestsWaitingBehindAnotherCategoryCoalesceIntoOneRun() throws Exception {
        List<String> runs = new CopyOnWriteArrayList<>();
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        try (RetrainQueue<String> queue = new RetrainQueue<>((category, requests) -> {
            runs.add(category + ":" + String.join(",", requests));
            if (category.equals("plates")) {
                firstRunning.countDown();
                await(releaseFirst);
            }
        })) {
            queue.submit("plates", "p1");
            assertThat(firstRunning.await(5, TimeUnit.SECONDS)).isTrue();
            // tiles has no run going: its first request starts one (waiting for the thread), the rest join it.
            assertThat(queue.submit("tiles", "t1")).isEqualTo(Admission.STARTED);
            assertThat(queue.submit("tiles", "t2")).isEqualTo(Admission.COALESCED);
            releaseFirst.countDown();
            assertThat(queue.shutdown(5)).isTrue();
            assertThat(runs).containsExactly("plates:p1", "tiles:t1,t2");
            assertThat(queue.isBusy("tiles")).isFalse();
        }
    }

    @Test
    void aRunThatThrowsDoesNotStopTheQueue() throws Exception {
        List<String> runs = new CopyOnWriteArrayList<>();
        CountDownLatch second = new CountDownLatch(1);
        try (RetrainQueue<String> queue = new RetrainQueue<>((category, requests) -> {
            runs.add(requests.get(0));
            if (requests.get(0).equals("bad")) {
                throw new IllegalStateException("boom");
            }
            second.countDown();
        })) {
            queue.submit("tiles", "bad");
            awaitIdle(queue, "tiles");
            assertThat(queue.submit("tiles", "good")).isEqualTo(Admission.STARTED);
            assertThat(second.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(runs).containsExactly("bad", "good");
        }
    }

    private static void awaitIdle(RetrainQueue<String> queue, String category) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (queue.isBusy(category) && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(queue.isBusy(category)).isFalse();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
