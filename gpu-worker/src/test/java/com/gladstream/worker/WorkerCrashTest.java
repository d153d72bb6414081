package com.gladstream.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.gladstream.glad.model.GladModel;
import com.gladstream.schemas.AnomalyResult;
import com.gladstream.schemas.InferenceRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker in its own process is killed with SIGKILL in the middle of its work and started again:
 * a read-committed consumer sees every result exactly once.
 */
class WorkerCrashTest {

    private static final int REQUESTS = 80;

    @TempDir
    Path root;

    @Test
    void aWorkerKilledMidBatchAndRestartedProducesEveryResultExactlyOnce() throws Exception {
        Testbed bed = new Testbed(root);
        byte[] png = TinyCategory.bytes(TinyCategory.testSamples().get(0).path());
        try (GladModel model = TinyCategory.model(1)) {
            bed.publish(model);
        }
        List<InferenceRequest> requests = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            requests.add(Testbed.request(Testbed.event(TinyCategory.NAME, png).build()));
        }
        Path settings = settingsFile(bed);
        bed.produceRequests(requests);

        Process first = start(settings, root.resolve("first.log"));
        Testbed.Output partial = bed.read(o -> o.results().size() >= 8, Duration.ofSeconds(120));
        first.destroyForcibly().waitFor();
        int beforeKill = partial.results().size();

        Process second = start(settings, root.resolve("second.log"));
        try {
            Testbed.Output out = bed.read(o -> o.size() >= REQUESTS, Duration.ofSeconds(180));
            List<String> ids = out.results().stream().map(AnomalyResult::getEventId).toList();
            Set<String> distinct = Set.copyOf(ids);
            assertThat(out.deadLetters()).isEmpty();
            assertThat(ids).as("results, read committed, after a SIGKILL with %d of %d done", beforeKill, REQUESTS)
                    .hasSize(REQUESTS);
            assertThat(distinct).isEqualTo(requests.stream().map(r -> r.getImage().getEventId()).collect(Collectors.toSet()));
            assertThat(beforeKill).as("the kill came mid-stream").isLessThan(REQUESTS);
        } finally {
            second.destroy();
            second.waitFor();
        }
    }

    private Path settingsFile(Testbed bed) throws IOException {
        Properties props = new Properties();
        props.putAll(bed.settings());
        props.putAll(Map.of("worker.id", "crash-test", "worker.http.port", "-1", "batch.max-size", "4"));
        Path file = root.resolve("worker.properties");
        try (var out = Files.newBufferedWriter(file)) {
            props.store(out, "crash test worker");
        }
        return file;
    }

    private static Process start(Path settings, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx1g", "-Dai.djl.offline=true",
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=com.gladstream.schemas",
                "-cp", System.getProperty("java.class.path"), WorkerProcess.class.getName(), settings.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
