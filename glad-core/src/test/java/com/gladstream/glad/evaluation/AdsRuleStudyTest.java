package com.gladstream.glad.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.gladstream.glad.reconstruction.AdsCalibrator;
import com.gladstream.glad.reconstruction.ReconstructionResult.StepScore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdsRuleStudyTest {

    private static final int[] TIMESTEPS = {500, 400, 300, 200, 100};

    @Test
    void eachHeldOutImageIsJudgedAgainstARuleCalibratedOnTheOthersOnly() {
        // Four normal images, two draws each; image 3 scores higher than the rest at step 200.
        List<List<StepScore>> normals = new ArrayList<>();
        for (int image = 0; image < 4; image++) {
            for (int draw = 0; draw < 2; draw++) {
                normals.add(trace(0.30 + 0.01 * draw, image == 3 ? 0.6 : 0.3));
            }
        }
        // One anomaly per image: those of images 0 and 1 stand out at step 200, the others do not.
        List<List<StepScore>> anomalies = List.of(trace(0.3, 2.0), trace(0.3, 2.0), trace(0.3, 0.3), trace(0.3, 0.5));
        AdsCalibrator maximum = new AdsCalibrator(AdsCalibrator.Rule.PER_STEP, 1.0, 0.0, 0.1, 1);

        AdsRuleStudy.Result result = AdsRuleStudy.judge(maximum, normals, anomalies, 4, 2, 1);

        // Draw 1 (0.31) exceeds the 0.30 of draw 0 at step 400, and a one-draw rule only sees draw 0
        // of the other images: every image's draw 1 triggers. Left out, image 3 also exceeds the
        // others' maximum at step 200 with draw 0; in the calibration set, its 0.6 covers the others.
        assertThat(result.normalTraces()).isEqualTo(8);
        assertThat(result.falseTriggers()).isEqualTo(4 + 1);
        // Anomalies 0 and 1 (2.0) trigger at step 200, over image 3's 0.6; anomaly 2 (0.3) does not;
        // anomaly 3 (0.5) is judged against images 0-2 only (0.3 at step 200) and triggers.
        assertThat(result.anomalyTriggers()).isEqualTo(3);
        assertThat(result.meanAnomalyTriggerStep()).isCloseTo(200, within(1e-9));
        assertThat(result.youden()).isCloseTo(3 / 4.0 - 5 / 8.0, within(1e-12));
    }

    /** s_t = level at every step except 200, where it is {@code at200}; the first step is 0. */
    private static List<StepScore> trace(double level, double at200) {
        List<StepScore> trace = new ArrayList<>();
        for (int t : TIMESTEPS) {
            trace.add(new StepScore(t, t == 500 ? 0 : t == 200 ? at200 : level));
        }
        return trace;
    }
}
