package com.gladstream.cli.service;

import com.gladstream.schemas.ControlEvent;
import com.gladstream.schemas.RetrainFailed;
import com.gladstream.schemas.RetrainProgress;
import com.gladstream.schemas.RetrainSucceeded;
import com.gladstream.schemas.config.ServiceConfig;
import com.gladstream.schemas.registry.HttpSchemaRegistryClient;
import com.gladstream.schemas.registry.SchemaRegistryClient;
import com.gladstream.glad.model.ModelStore;
import com.gladstream.worker.kafka.KafkaClients;
import com.gladstream.worker.training.ControlEvents;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code glad retrain}: an operator's retrain request on the control topic. */
@Command(
        name = "retrain",
        mixinStandardHelpOptions = true,
        description = {
            "Asks the trainer to retrain a category now.",
            "It sends a RetrainRequested (trigger OPERATOR) to the control topic. With --wait it follows the request"
                    + " and exits 0 when a new version is published, 1 when the trainer refused it (the reason is printed)"
                    + " and 2 when no outcome arrived within the wait.",
            ConfigOption.SETTINGS_HELP
        })
public final class RetrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--category", required = true, paramLabel = "NAME", description = "The category to retrain.")
    String category;

    @Option(names = "--steps", paramLabel = "N", description = "Fine-tuning steps (default: the trainer's retrain.steps).")
    Integer steps;

    @Option(names = "--wait", paramLabel = "DURATION", description = "Follow the request up to this long, e.g. 10m.")
    String wait;

    @Mixin
    ConfigOption configOption;

    @Override
    public Integer call() {
        ModelStore.requireCategory(category);
        if (steps != null && steps < 1) {
            throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
        }
        ServiceConfig config = configOption.load();
        Duration waitFor = wait == null ? null
                : ServiceConfig.of(Map.of("wait", wait), Map.of()).duration("wait", Duration.ZERO);
        KafkaClients clients = new KafkaClients(config);
        SchemaRegistryClient registry = HttpSchemaRegistryClient.configured(config);
        String topic = config.topics().control();
        PrintWriter out = spec.commandLine().getOut();
        Map<TopicPartition, Long> from = waitFor == null ? null : ControlEvents.endOffsets(clients, topic);
        ControlEvent request = ControlEvents.operatorRequest(category, steps, System.getProperty("user.name", "operator"));
        try (ControlEvents events = new ControlEvents(clients, registry, topic)) {
            events.send(request);
        }
        out.printf("retrain of %s requested on %s: %s%n", category, topic, request.getEventId());
        out.flush();
        if (waitFor == null) {
            return 0;
        }
        Optional<ControlEvent> outcome = ControlEvents.follow(clients, ControlEvents.serde(registry), topic, from,
                request.getEventId(), waitFor, e -> print(out, e));
        return outcome.map(e -> e.getPayload() instanceof RetrainSucceeded ? 0 : 1).orElseGet(() -> {
            out.printf("no outcome within %s; the request stays on %s%n", waitFor, topic);
            out.flush();
            return 2;
        });
    }

    private static void print(PrintWriter out, ControlEvent e) {
        Object p = e.getPayload();
        if (p instanceof RetrainProgress r) {
            out.println(r.getTotalSteps() > 0
                    ? String.format(Locale.ROOT, "  %s: step %d/%d, loss %.4f", r.getStage(), r.getStep(), r.getTotalSteps(), r.getLoss())
                    : "  " + r.getStage());
        } else if (p instanceof RetrainSucceeded s) {
            out.printf(Locale.ROOT, "published %s (from %s) on %d samples, %d left out as likely defects; validation"
                    + " image AUROC %.4f (was %.4f)%n", s.getVersion(), s.getParentVersion(), s.getSamples(),
                    s.getExcludedSamples(), s.getMetrics().getOrDefault("validation.image_auroc", Double.NaN),
                    s.getMetrics().getOrDefault("parent.validation.image_auroc", Double.NaN));
        } else if (p instanceof RetrainFailed f) {
            out.println("refused: " + f.getReason());
        }
        out.flush();
    }
}
