package com.gladstream.streams;

import java.nio.file.Path;

import org.apache.kafka.streams.KafkaStreams;

import com.gladstream.schemas.config.ServiceConfig;

/**
 * The streams application in a JVM of its own, so a test can kill it outright ({@code kill -9}) as a
 * crash would: runs the service on the settings file given as the argument and prints each state
 * it enters as a line {@code STATE <name>}.
 */
public final class StreamsProcess {

    private StreamsProcess() {}

    public static void main(String[] args) throws Exception {
        try (StreamsService service = new StreamsService(ServiceConfig.load(Path.of(args[0])))) {
            service.start();
            KafkaStreams.State last = null;
            while (true) {
                KafkaStreams.State now = service.state();
                if (now != last) {
                    System.out.println("STATE " + now);
                    System.out.flush();
                    last = now;
                }
                if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                    return;
                }
                Thread.sleep(100);
            }
        }
    }
}
