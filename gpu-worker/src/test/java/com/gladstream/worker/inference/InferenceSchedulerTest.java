package com.gladstream.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import com.gladstream.glad.model.GladModel;
import com.gladstream.worker.TinyCategory;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

class InferenceSchedulerTest {

    record Observed(boolean gradMode, boolean outputRequiresGradient, String thread) {}

    @Test
    void inferenceThreadsRecordNoGradients() throws Exception {
        Scheduler scheduler = InferenceScheduler.inference(1);
        try (GladModel model = TinyCategory.model(1)) {
            Observed onInference = Mono.fromCallable(() -> forward(model)).subscribeOn(scheduler).block();
            // The control: a plain new thread starts with gradient recording on (docs/DESIGN.md, "The worker's threads and batching").
            boolean plainThreadGradMode = CompletableFuture.supplyAsync(JniUtils::isGradMode, r -> new Thread(r).start()).get();

            assertThat(onInference.thread()).startsWith("glad-inference-");
            assertThat(onInference.gradMode()).isFalse();
            assertThat(onInference.outputRequiresGradient()).isFalse();
            assertThat(plainThreadGradMode).isTrue();
        } finally {
            scheduler.dispose();
        }
    }

    private static Observed forward(GladModel model) {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            int size = model.config().resolution();
            NDArray noisy = manager.randomNormal(new Shape(2, model.config().inChannels(), size, size));
            NDArray out = model.predictNoise(noisy, new int[] {100, 200});
            return new Observed(JniUtils.isGradMode(), JniUtils.requiresGrad((PtNDArray) out),
                    Thread.currentThread().getName());
        }
    }
}
