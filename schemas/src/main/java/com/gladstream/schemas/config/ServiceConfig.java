package com.gladstream.schemas.config;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of one GLAD Stream service: a properties file, overridden by environment variables.
 *
 * <p><b>Override rule.</b> Setting {@code some.key-name} is overridden by the environment variable
 * {@code GLAD_SOME_KEY_NAME}: the prefix {@code GLAD_}, then the key upper-cased with every
 * {@code .} and {@code -} turned into {@code _}. So {@code GLAD_BOOTSTRAP_SERVERS} overrides
 * {@code bootstrap.servers} and {@code GLAD_TOPIC_DEAD_LETTER} overrides {@code topic.dead-letter}.
 * An environment variable wins over the file, and the file wins over the default the caller passes.
 * For the pass-through groups read with {@link #withPrefix} (client settings such as
 * {@code kafka.security.protocol}) an environment variable maps back with each {@code _} read as
 * {@code .}, which is how Kafka spells its own settings.
 *
 * <p>Every typed getter names the setting, where its value came from and what was expected when the
 * value is malformed, and throws {@link IllegalArgumentException}.
 */
public final class ServiceConfig {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String REGISTRY_URL = "registry.url";
    /** Confluent's {@code basic.auth.user.info}: {@code user:password} for the registry's HTTP basic auth. */
    public static final String REGISTRY_USER_INFO = "registry.basic.auth.user.info";
    public static final String ENV_PREFIX = "GLAD_";

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final Map<String, String> fileSettings;
    private final Map<String, String> environment;
    private final String origin;
    // What the service asked for: the one list of the settings it reads (docker-compose.yml is checked against it).
    private final Set<String> keysRead = ConcurrentHashMap.newKeySet();
    private final Set<String> prefixesRead = ConcurrentHashMap.newKeySet();

    private ServiceConfig(Map<String, String> fileSettings, Map<String, String> environment, String origin) {
        this.fileSettings = Map.copyOf(fileSettings);
        this.environment = Map.copyOf(environment);
        this.origin = origin;
    }

    /** The settings in {@code file}, overridden by this process's environment. */
    public static ServiceConfig load(Path file) {
        return load(file, System.getenv());
    }

    static ServiceConfig load(Path file, Map<String, String> environment) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("configuration file " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> settings = new TreeMap<>();
        props.stringPropertyNames().forEach(key -> settings.put(key, props.getProperty(key).trim()));
        return new ServiceConfig(settings, environment, file.toString());
    }

    /** Defaults overridden by this process's environment, for services started without a file. */
    public static ServiceConfig fromEnvironment() {
        return of(Map.of(), System.getenv());
    }

    /** Settings given in code (tests, embedded services), overridden by {@code environment}. */
    public static ServiceConfig of(Map<String, String> settings, Map<String, String> environment) {
        return new ServiceConfig(settings, environment, "settings");
    }

    /** The environment variable that overrides {@code key}. */
    public static String environmentName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The value of {@code key}, from the environment or the file, if either sets it. */
    public Optional<String> find(String key) {
        keysRead.add(key);
        String fromEnvironment = environment.get(environmentName(key));
        if (fromEnvironment != null) {
            return Optional.of(fromEnvironment.trim());
        }
        return Optional.ofNullable(fileSettings.get(key));
    }

    /** A setting that has no default. */
    public String string(String key) {
        return find(key).filter(value -> !value.isEmpty()).orElseThrow(() -> new IllegalArgumentException(
                "missing setting " + key + ": set it in " + origin + " or in the environment variable "
                        + environmentName(key)));
    }

    public String string(String key, String defaultValue) {
        return find(key).filter(value -> !value.isEmpty()).orElse(defaultValue);
    }

    public int integer(String key, int defaultValue, int min) {
        long value = longValue(key, defaultValue, min);
        if (value > Integer.MAX_VALUE) {
            throw invalid(key, String.valueOf(value), "a whole number up to " + Integer.MAX_VALUE);
        }
        return (int) value;
    }

    public long longValue(String key, long defaultValue, long min) {
        long value = parsed(key, defaultValue, text -> {
            try {
                return Long.parseLong(text.replace("_", ""));
            } catch (NumberFormatException e) {
                throw invalid(key, text, "a whole number");
            }
        });
        if (value < min) {
            throw invalid(key, String.valueOf(value), "a whole number of at least " + min);
        }
        return value;
    }

    /** A finite number from {@code min} to {@code max}. */
    public double decimal(String key, double defaultValue, double min, double max) {
        double value = parsed(key, defaultValue, text -> {
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw invalid(key, text, "a number");
            }
        });
        if (!(value >= min && value <= max)) {
            throw invalid(key, String.valueOf(value), "a number from " + min + " to " + max);
        }
        return value;
    }

    public boolean bool(String key, boolean defaultValue) {
        return parsed(key, defaultValue, text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, text, "true or false");
        });
    }

    /** A non-negative duration written like {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d} or {@code PT30S}. */
    public Duration duration(String key, Duration defaultValue) {
        return parsed(key, defaultValue, text -> {
            String expected = "a duration such as 500ms, 30s, 5m, 1h, 2d or PT30S";
            Matcher shortForm = SHORT_DURATION.matcher(text);
            Duration value;
            if (shortForm.matches()) {
                long amount = Long.parseLong(shortForm.group(1));
                value = switch (shortForm.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            } else {
                try {
                    value = Duration.parse(text);
                } catch (DateTimeParseException e) {
                    throw invalid(key, text, expected);
                }
            }
            if (value.isNegative()) {
                throw invalid(key, text, "a duration that is not negative");
            }
            return value;
        });
    }

    /** A comma-separated list; blank entries are dropped. */
    public List<String> list(String key, List<String> defaultValue) {
        return parsed(key, defaultValue, text -> Arrays.stream(text.split(","))
                .map(String::trim).filter(item -> !item.isEmpty()).toList());
    }

    /** An absolute {@code http:} or {@code https:} URL. */
    public URI httpUrl(String key, String defaultValue) {
        String text = string(key, defaultValue);
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // Reported below with the expected form.
        }
        throw invalid(key, text, "an http:// or https:// URL with a host");
    }

    /** Kafka bootstrap servers, {@code host:port[,host:port...]}; {@code localhost:9092} by default. */
    public String bootstrapServers() {
        List<String> servers = list(BOOTSTRAP_SERVERS, List.of("localhost:9092"));
        for (String server : servers) {
            int colon = server.lastIndexOf(':');
            boolean valid = colon > 0 && server.substring(colon + 1).matches("\\d{1,5}")
                    && Integer.parseInt(server.substring(colon + 1)) <= 65535;
            if (!valid) {
                throw invalid(BOOTSTRAP_SERVERS, String.join(",", servers), "host:port pairs separated by commas");
            }
        }
        return String.join(",", servers);
    }

    /** The schema registry base URL; {@code http://localhost:8081} by default. */
    public String registryUrl() {
        return httpUrl(REGISTRY_URL, "http://localhost:8081").toString();
    }

    /** The registry credentials ({@link #REGISTRY_USER_INFO}), if set. */
    public Optional<String> registryUserInfo() {
        return find(REGISTRY_USER_INFO).filter(value -> !value.isEmpty());
    }

    public Topics topics() {
        return Topics.from(this);
    }

    /**
     * Every setting under {@code prefix} (for example {@code "kafka."}) with the prefix removed,
     * file first, then environment variables {@code GLAD_<PREFIX>...} with {@code _} read as {@code .}.
     */
    public Map<String, String> withPrefix(String prefix) {
        prefixesRead.add(prefix);
        Map<String, String> settings = new TreeMap<>();
        fileSettings.forEach((key, value) -> {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                settings.put(key.substring(prefix.length()), value);
            }
        });
        String envPrefix = environmentName(prefix);
        environment.forEach((name, value) -> {
            if (name.startsWith(envPrefix) && name.length() > envPrefix.length()) {
                String key = name.substring(envPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                settings.put(key, value.trim());
            }
        });
        return settings;
    }

    /**
     * Whether {@code environmentVariable} overrides a setting this configuration has been asked
     * for so far, or falls in a group read with {@link #withPrefix}: after a service has read its
     * settings, whether the variable is one that service reads.
     */
    public boolean reads(String environmentVariable) {
        return keysRead.stream().anyMatch(key -> environmentName(key).equals(environmentVariable))
                || prefixesRead.stream().anyMatch(prefix -> environmentVariable.startsWith(environmentName(prefix))
                        && environmentVariable.length() > environmentName(prefix).length());
    }

    private <T> T parsed(String key, T defaultValue, Function<String, T> parser) {
        return find(key).filter(value -> !value.isEmpty()).map(parser).orElse(defaultValue);
    }

    private IllegalArgumentException invalid(String key, String value, String expected) {
        String source = environment.containsKey(environmentName(key))
                ? "environment variable " + environmentName(key)
                : fileSettings.containsKey(key) ? origin : "default";
        return new IllegalArgumentException(
                "setting " + key + " = '" + value + "' (from " + source + ") is not " + expected);
    }
}
