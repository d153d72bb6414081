package com.gladstream.cli.service;

import com.gladstream.glad.model.ModelLoadException;
import com.gladstream.glad.model.ModelMetadata;
import com.gladstream.glad.model.ModelStore;
import com.gladstream.schemas.ModelPublished;
import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.worker.WorkerSettings;
import com.gladstream.worker.kafka.KafkaClients;
import com.gladstream.worker.kafka.RegistryRetry;
import com.gladstream.worker.kafka.WorkerSerdes;
import com.gladstream.worker.training.PublishedModels;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code glad models}: the model store's versions, their validation figures and which one serves. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the model store's versions with their validation figures.",
            "Per category and version: parent, steps, samples, data hash, threshold and the validation image and"
                    + " pixel AUROC a retrain measured; '*' marks the version the models topic announced last, the one"
                    + " workers serve. With --offline the models topic is not read.",
            ConfigOption.SETTINGS_HELP
        })
public final class ModelsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--category", paramLabel = "NAME", description = "Only this category.")
    String category;

    @Option(names = "--offline", description = "Do not ask the models topic which version serves.")
    boolean offline;

    @Mixin
    ConfigOption configOption;

    @Override
    public Integer call() {
        ServiceConfig config = configOption.load();
        Path store = WorkerSettings.from(config).modelStore();
        List<String> categories = category == null ? ModelStore.categories(store) : List.of(ModelStore.requireCategory(category));
        Map<String, ModelPublished> serving = offline ? Map.of() : serving(config);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-20s %-4s %-7s %-7s %7s %7s %-14s %9s %9s %9s%n", "category", "", "version", "parent", "steps",
                "samples", "data hash", "threshold", "val I-AUC", "val P-AUC");
        for (String c : categories) {
            String servingVersion = serving.containsKey(c) ? serving.get(c).getVersion() : null;
            for (Path dir : ModelStore.versions(store, c)) {
                try {
                    ModelMetadata m = ModelStore.readMetadata(dir);
                    out.printf(Locale.ROOT, "%-20s %-4s %-7s %-7s %7d %7s %-14s %9.4f %9s %9s%n", c,
                            m.version().equals(servingVersion) ? "*" : "", m.version(),
                            m.parentVersion() == null ? "-" : m.parentVersion(), m.trainingSteps(),
                            figure(m, "retrain.samples", "%.0f"), shortHash(m.dataHash()),
                            m.calibration() == null ? Double.NaN : m.calibration().threshold(),
                            figure(m, "validation.image_auroc", "%.4f"), figure(m, "validation.pixel_auroc", "%.4f"));
                } catch (ModelLoadException e) {
                    out.printf("%-20s %-4s %-7s unreadable: %s%n", c, "", dir.getFileName(), e.getMessage());
                }
            }
            if (servingVersion != null && ModelStore.versions(store, c).stream()
                    .noneMatch(d -> d.getFileName().toString().equals(servingVersion))) {
                out.printf("%-20s %-4s %-7s announced on %s but not in %s%n", c, "*", servingVersion,
                        config.topics().models(), store.toAbsolutePath());
            }
        }
        out.flush();
        return 0;
    }

    private static Map<String, ModelPublished> serving(ServiceConfig config) {
        WorkerSerdes serdes = WorkerSerdes.from(config);
        return PublishedModels.read(new KafkaClients(config), config.topics().models(), serdes.models().deserializer(),
                new RegistryRetry(serdes.registry(), () -> true));
    }

    private static String figure(ModelMetadata m, String key, String format) {
        Double v = m.metrics().get(key);
        return v == null ? "-" : String.format(Locale.ROOT, format, v);
    }

    private static String shortHash(String hash) {
        if (hash == null) {
            return "-";
        }
        String hex = hash.startsWith("sha256:") ? hash.substring(7) : hash;
        return hex.substring(0, Math.min(12, hex.length()));
    }
}
