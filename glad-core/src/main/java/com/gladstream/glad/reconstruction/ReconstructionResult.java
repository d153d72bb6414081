package com.gladstream.glad.reconstruction;

import com.gladstream.glad.image.FloatImage;
import java.util.List;

/**
 * One image's reconstruction and what it cost.
 *
 * @param reconstruction x̂_0, the normal-looking version of the input, in [0,1]
 * @param adaptiveStep the timestep at which ADS triggered (the image's adaptive denoising step), or
 *     null if it never did (always null for fixed-step reconstruction)
 * @param unetEvaluations noise-predictor passes this image took part in
 * @param featureExtractions images this image sent through the feature extractor (two per ADS
 *     comparison: the normal estimate and the input-anchored one)
 * @param stepScores s_t at every step where ADS compared the two estimates, in sampling order
 */
public record ReconstructionResult(
        FloatImage reconstruction,
        Integer adaptiveStep,
        int unetEvaluations,
        int featureExtractions,
        List<StepScore> stepScores) {

    public ReconstructionResult {
        stepScores = List.copyOf(stepScores);
    }

    /** s_t, the top-k mean of the ADS anomaly map A_t at timestep t. */
    public record StepScore(int timestep, double score) {}
}
