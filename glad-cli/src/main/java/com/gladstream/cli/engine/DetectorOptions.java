package com.gladstream.cli.engine;

import com.gladstream.glad.data.MvtecCategory;
import com.gladstream.glad.model.Calibration;
import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.pipeline.DetectorSession;
import com.gladstream.glad.pipeline.DetectorSettings;
import com.gladstream.glad.pipeline.ReconstructionMode;
import com.gladstream.glad.reconstruction.AdsSettings;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * How a stored model is used for detection. Every option defaults to what the model was calibrated
 * with; overriding the mode or step means the stored threshold no longer applies.
 */
final class DetectorOptions {

    @Option(names = "--mode", paramLabel = "glad|fixed",
            description = "glad: adaptive denoising steps with SAFF (default); fixed: the fixed-step baseline.")
    String mode = "glad";

    @Option(names = "--step", paramLabel = "T",
            description = "Step the input is noised to (default: the model's calibrated maximum step).")
    Integer step;

    @Option(names = "--inference-steps", paramLabel = "S", description = "DDIM steps from T (default: the model's).")
    Integer inferenceSteps;

    @Option(names = "--features", paramLabel = "SPEC",
            description = "Feature extractor for the anomaly maps (default: the model's): unet-encoder, pixel, random-conv,"
                    + " learned (if the model has its network), onnx:<file>, torchscript:<file>, <spec>+<spec> (layers of both), or trigger=<spec>;map=<spec>.")
    String features;

    @Option(names = "--compare-every", paramLabel = "K",
            description = "GLAD: compare the two estimates at every K-th step only (default: the model's).")
    Integer compareEvery;

    @Option(names = "--early-exit", paramLabel = "on|off", arity = "1",
            description = "GLAD: an untriggered image stops below t_min with its input-anchored estimate (default: the model's).")
    String earlyExit;

    @Option(names = "--probe-steps", paramLabel = "P",
            description = "GLAD with early exit: an untriggered image stops after its first P steps at the latest, 0 for"
                    + " no probe (default: the model's).")
    Integer probeSteps;

    @Option(names = "--probe-schedule", paramLabel = "first|spread",
            description = "With --probe-steps: the probe is the first P steps, or P steps spread from T to the last"
                    + " step (default: the model's).")
    String probeSchedule;

    @Option(names = "--recalibrate",
            description = "Re-calibrate on the held-out normal images even when the settings match the model's.")
    boolean recalibrate;

    @Option(names = "--batch-size", paramLabel = "N", description = "Images per network call (default: ${DEFAULT-VALUE}).")
    int batchSize = DetectorSettings.DEFAULT_BATCH_SIZE;

    /**
     * A detector for these options: the model's stored calibration when they match it, otherwise
     * re-calibrated on the category's held-out normal images.
     *
     * @param category source of held-out normals for re-calibration, or null when the stored calibration must be used
     */
    DetectorSession open(GladModel model, MvtecCategory category, PrintWriter log) {
        Calibration calibration = DetectorSession.calibrationOf(model);
        if (matches(calibration)) {
            return DetectorSession.open(model, batchSize);
        }
        if (category == null) {
            throw new IllegalArgumentException("the model is calibrated for glad mode at T=" + calibration.maxStep()
                    + " with " + calibration.featureExtractor() + "; other settings need a category to re-calibrate on");
        }
        return DetectorSession.recalibrated(model, featureSpec(calibration), settings(calibration), category, log);
    }

    ReconstructionMode mode() {
        try {
            return ReconstructionMode.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown mode '" + mode + "' (expected glad or fixed)");
        }
    }

    /** True when these options reproduce the setting the stored threshold was calibrated for. */
    boolean matches(Calibration calibration) {
        return !recalibrate
                && mode() == ReconstructionMode.GLAD
                && (features == null || features.equals(calibration.featureExtractor()))
                && (step == null || step == calibration.maxStep())
                && (inferenceSteps == null || inferenceSteps == calibration.inferenceSteps())
                && (compareEvery == null || compareEvery == calibration.compareEveryStep())
                && (earlyExit == null || earlyExit() == calibration.exitsEarly())
                && (probeSteps == null || probeSteps == calibration.probeStepCount())
                && (probeSchedule == null || probeSpread() == calibration.probeSpreads());
    }

    private boolean probeSpread() {
        return either("--probe-schedule", probeSchedule, "spread", "first");
    }

    private boolean earlyExit() {
        return either("--early-exit", earlyExit, "on", "off");
    }

    /** True for {@code yes}, false for {@code no}, any other value an error naming the option. */
    private static boolean either(String option, String value, String yes, String no) {
        if (value.equalsIgnoreCase(yes) || value.equalsIgnoreCase(no)) {
            return value.equalsIgnoreCase(yes);
        }
        throw new IllegalArgumentException(option + " is " + yes + " or " + no + ", got '" + value + "'");
    }

    /** The feature extractor spec to use: the option's, or the one the model was calibrated with. */
    String featureSpec(Calibration calibration) {
        return features == null ? calibration.featureExtractor() : features;
    }

    DetectorSettings settings(Calibration calibration) {
        DetectorSettings stored = DetectorSettings.fromCalibration(calibration, mode());
        AdsSettings ads = stored.ads();
        boolean exit = earlyExit == null ? ads.earlyExit() : earlyExit();
        boolean spread = probeSchedule == null ? ads.probeSpread() : probeSpread();
        // Turning early exit off drops a stored probe of first steps, which needs it.
        int probe = probeSteps != null ? probeSteps : exit || spread ? ads.probeSteps() : 0;
        return new DetectorSettings(stored.mode(),
                step == null ? stored.maxStep() : step,
                inferenceSteps == null ? stored.inferenceSteps() : inferenceSteps,
                ads.withCost(compareEvery == null ? ads.compareEvery() : compareEvery, exit, probe, spread && probe > 0),
                stored.scoring(), batchSize, stored.threshold());
    }
}
