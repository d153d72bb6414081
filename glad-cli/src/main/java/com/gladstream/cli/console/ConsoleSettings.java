package com.gladstream.cli.console;

import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.schemas.config.Topics;
import com.gladstream.worker.heatmaps.HeatmapStore;
import java.nio.file.Path;

/**
 * What the operator console is configured with, read once from the service configuration
 * (environment overrides per {@link ServiceConfig}).
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>console.http.host</td><td>127.0.0.1</td><td>address the page is served on; 0.0.0.0 exposes it to the network</td></tr>
 *   <tr><td>console.http.port</td><td>8088</td><td>port of the page; 0 picks a free one</td></tr>
 *   <tr><td>console.results</td><td>40</td><td>newest results (and dead letters) the page holds</td></tr>
 *   <tr><td>console.backlog</td><td>100</td><td>records per partition read back at start, so the page opens with recent history</td></tr>
 *   <tr><td>console.inputs.max-bytes</td><td>64 MiB</td><td>memory for recent input images (shown next to their results)</td></tr>
 *   <tr><td>heatmaps.dir</td><td>heatmaps</td><td>the workers' heatmap store; the only directory whose files the page serves</td></tr>
 * </table>
 */
public record ConsoleSettings(
        Topics topics,
        String host,
        int port,
        int results,
        int backlog,
        long inputBytes,
        Path heatmapDir) {

    /** The same settings served on another address; a null argument keeps the configured value. */
    public ConsoleSettings withAddress(String newHost, Integer newPort) {
        return new ConsoleSettings(topics, newHost == null ? host : newHost, newPort == null ? port : newPort,
                results, backlog, inputBytes, heatmapDir);
    }

    public static ConsoleSettings from(ServiceConfig config) {
        return new ConsoleSettings(
                config.topics(),
                config.string("console.http.host", "127.0.0.1"),
                config.integer("console.http.port", 8088, 0),
                config.integer("console.results", 40, 1),
                config.integer("console.backlog", 100, 0),
                config.longValue("console.inputs.max-bytes", 64L << 20, 0),
                HeatmapStore.directory(config));
    }
}
