package com.gladstream.glad.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.gladstream.glad.NDManagerExtension;
import com.gladstream.glad.benchmark.EngineProfile.OpTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class EngineProfileTest {

    @RegisterExtension
    final NDManagerExtension manager = NDManagerExtension.defaultEngine();

    @Test
    void selfTimeIsAnEventsDurationMinusTheEventsNestedInItOnTheSameThread(@TempDir Path dir) throws IOException {
        // conv2d (0–100 µs) calls mkldnn_convolution (10–90); on thread 2 an add overlaps in time but is not nested.
        Path trace = dir.resolve("trace.json");
        Files.writeString(trace, """
                [
                 {"name": "aten::conv2d", "ph": "X", "ts": 0, "dur": 100, "tid": 1},
                 {"name": "aten::mkldnn_convolution", "ph": "X", "ts": 10, "dur": 80, "tid": 1},
                 {"name": "aten::add", "ph": "X", "ts": 20, "dur": 30, "tid": 2},
                 {"name": "aten::add", "ph": "X", "ts": 120, "dur": 10, "tid": 1},
                 {"name": "process_name", "ph": "M", "tid": 1}
                ]
                """);
        Map<String, OpTime> ops = byName(EngineProfile.selfTimes(trace));
        assertThat(ops.get("aten::conv2d").selfMillis()).isEqualTo(0.020, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ops.get("aten::mkldnn_convolution").selfMillis()).isEqualTo(0.080, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ops.get("aten::add").selfMillis()).isEqualTo(0.040, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ops.get("aten::add").calls()).isEqualTo(2);
        assertThat(EngineProfile.byKind(List.copyOf(ops.values())).keySet())
                .containsExactly("convolution", "element-wise and reductions");
    }

    @Test
    void aRecordedMatrixProductShowsUpAsTheLargestMatrixProductWork() {
        NDManager m = manager.get();
        NDArray a = m.randomNormal(new Shape(256, 256));
        List<OpTime> ops = EngineProfile.record(() -> a.matMul(a).add(1f).toFloatArray());
        Map<String, Double> kinds = EngineProfile.byKind(ops);
        assertThat(kinds).containsKey("matrix product");
        assertThat(kinds.get("matrix product")).isPositive();
        assertThat(ops).extracting(OpTime::selfMillis).allMatch(ms -> ms >= 0);
    }

    private static Map<String, OpTime> byName(List<OpTime> ops) {
        return ops.stream().collect(java.util.stream.Collectors.toMap(OpTime::name, op -> op));
    }
}
