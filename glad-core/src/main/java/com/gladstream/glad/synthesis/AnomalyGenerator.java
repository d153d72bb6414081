package com.gladstream.glad.synthesis;

import com.gladstream.glad.image.FloatImage;
import java.util.Random;

/** Paints a synthetic anomaly on a normal image and says where (docs/DESIGN.md A.4). */
public interface AnomalyGenerator {

    /** An anomalous copy of {@code normal}; all randomness comes from {@code rng}, so a seed fixes the result. */
    SyntheticAnomaly synthesize(FloatImage normal, Random rng);

    /** Which kind of anomaly this paints, for reports. */
    AnomalyFamily family();
}
