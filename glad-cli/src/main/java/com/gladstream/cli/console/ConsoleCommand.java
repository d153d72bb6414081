package com.gladstream.cli.console;

import com.gladstream.schemas.config.ServiceConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code glad console}: the live operator page against any cluster, until Ctrl-C. */
@Command(
        name = "console",
        mixinStandardHelpOptions = true,
        description = {
            "Serves the live operator page until interrupted.",
            "It shows results as they arrive (input, reconstruction, heatmap), anomaly rate and p95 score per camera,"
                    + " dead letters with their reasons and the model serving each category, read committed from the cluster.",
            "Heatmaps are read from heatmaps.dir, the directory the workers write. Settings come from --config, each"
                    + " overridden by the environment variable GLAD_<KEY> (upper case, '.' and '-' as '_')."
        })
public final class ConsoleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with the settings; without it, defaults and the environment only.")
    Path configFile;

    @Option(names = "--port", paramLabel = "N", description = "Port of the page (default: console.http.port, 8088; 0 picks a free one).")
    Integer port;

    @Option(names = "--host", paramLabel = "H",
            description = "Address to bind (default: console.http.host, 127.0.0.1; 0.0.0.0 exposes the page to the network).")
    String host;

    @Override
    public Integer call() throws Exception {
        if (port != null && (port < 0 || port > 65535)) {
            throw new IllegalArgumentException("--port " + port + " is not a port number (0-65535)");
        }
        ServiceConfig config = configFile == null ? ServiceConfig.fromEnvironment() : ServiceConfig.load(configFile);
        ConsoleSettings settings = ConsoleSettings.from(config).withAddress(host, port);
        CountDownLatch stop = new CountDownLatch(1);
        try (OperatorConsole console = OperatorConsole.start(config, settings)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "glad-console-shutdown"));
            var out = spec.commandLine().getOut();
            out.println("operator console on " + console.url() + " reading " + config.bootstrapServers()
                    + ", schema registry " + config.registryUrl() + ", heatmaps from "
                    + settings.heatmapDir().toAbsolutePath());
            out.println("press Ctrl-C to stop");
            out.flush();
            stop.await();
        }
        return 0;
    }
}
