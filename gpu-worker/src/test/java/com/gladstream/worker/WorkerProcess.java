package com.gladstream.worker;

import com.gladstream.schemas.config.ServiceConfig;
import java.nio.file.Path;

/** A worker in a process of its own, for the crash test: {@code WorkerProcess <settings.properties>}. */
public final class WorkerProcess {

    private WorkerProcess() {}

    public static void main(String[] args) throws Exception {
        try (InferenceWorker worker = new InferenceWorker(ServiceConfig.load(Path.of(args[0])))) {
            worker.runUntilShutdown();
        }
    }
}
