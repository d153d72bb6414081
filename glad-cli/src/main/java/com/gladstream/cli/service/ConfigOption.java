package com.gladstream.cli.service;

import com.gladstream.schemas.config.ServiceConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --config FILE} option every service command takes (a picocli mixin): settings from
 * the file, each overridden by the environment variable {@code GLAD_<KEY>}.
 */
final class ConfigOption {

    /** The help text's line on where settings come from, shared by the service commands. */
    static final String SETTINGS_HELP = "Settings come from --config, each overridden by the environment variable GLAD_<KEY>"
            + " (upper case, '.' and '-' as '_'), e.g. GLAD_BOOTSTRAP_SERVERS for bootstrap.servers.";

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with the settings; without it, defaults and the environment only.")
    Path file;

    ServiceConfig load() {
        return file == null ? ServiceConfig.fromEnvironment() : ServiceConfig.load(file);
    }
}
