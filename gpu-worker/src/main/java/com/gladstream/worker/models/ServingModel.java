package com.gladstream.worker.models;

import com.gladstream.glad.model.GladModel;
import com.gladstream.glad.pipeline.AnomalyDetector;
import com.gladstream.glad.pipeline.DetectorSession;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded model version with its detector, reference-counted: the cache holds one reference and
 * every batch using it another, so a version swapped out is closed only after its last batch ends.
 */
public final class ServingModel {

    private final String category;
    private final String version;
    private final GladModel model;
    private final DetectorSession session;
    private final AtomicInteger references = new AtomicInteger(1);

    ServingModel(String category, GladModel model, DetectorSession session) {
        this.category = category;
        this.version = model.metadata().version();
        this.model = model;
        this.session = session;
    }

    public String category() {
        return category;
    }

    public String version() {
        return version;
    }

    public AnomalyDetector detector() {
        return session.detector();
    }

    public double threshold() {
        return session.detector().settings().threshold();
    }

    /** Takes a reference; false once the model has been closed. */
    boolean tryAcquire() {
        while (true) {
            int n = references.get();
            if (n == 0) {
                return false;
            }
            if (references.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives a reference back; the last one closes the detector and frees the model's native memory. */
    public void release() {
        if (references.decrementAndGet() == 0) {
            session.close();
            model.close();
        }
    }
}
