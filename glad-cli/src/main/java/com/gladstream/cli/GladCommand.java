package com.gladstream.cli;

import com.gladstream.cli.console.ConsoleCommand;
import com.gladstream.cli.data.GenerateCommand;
import com.gladstream.cli.data.SynthCommand;
import com.gladstream.cli.engine.DetectCommand;
import com.gladstream.cli.engine.EvalCommand;
import com.gladstream.cli.engine.QuickstartCommand;
import com.gladstream.cli.engine.TrainCommand;
import com.gladstream.cli.demo.DemoCommand;
import com.gladstream.cli.service.BrokerCommand;
import com.gladstream.cli.service.RegistryCommand;
import com.gladstream.cli.service.StreamsCommand;
import com.gladstream.cli.service.ModelsCommand;
import com.gladstream.cli.service.RetrainCommand;
import com.gladstream.cli.service.TrainerCommand;
import com.gladstream.cli.service.PublishCommand;
import com.gladstream.cli.service.WorkerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code glad} command. Each subcommand lives in its own class in this package tree. */
@Command(
        name = "glad",
        mixinStandardHelpOptions = true,
        version = "glad 0.1.0",
        description = "GLAD Stream: diffusion-based visual anomaly detection, offline and on Kafka.",
        subcommands = {
            CommandLine.HelpCommand.class,
            QuickstartCommand.class,
            TrainCommand.class,
            EvalCommand.class,
            DetectCommand.class,
            GenerateCommand.class,
            SynthCommand.class,
            RegistryCommand.class,
            BrokerCommand.class,
            StreamsCommand.class,
            WorkerCommand.class,
            PublishCommand.class,
            TrainerCommand.class,
            RetrainCommand.class,
            ModelsCommand.class,
            com.gladstream.cli.bench.BenchCommand.class,
            DemoCommand.class,
            ConsoleCommand.class,
        })
public final class GladCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        // Must be set before DJL first touches an engine, or it tries to download natives.
        System.setProperty("ai.djl.offline", "true");
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests execute it in-process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new GladCommand());
        cl.setExecutionExceptionHandler(new OneLineErrors());
        cl.setExecutionStrategy(GladCommand::rejectUnmatched);
        return cl;
    }

    /**
     * Picocli lets unmatched arguments pass when help is asked for, so {@code glad nosuch --help}
     * would print the top-level help and succeed; an unknown command is an error with or without it.
     */
    private static int rejectUnmatched(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult level = parsed; level != null; level = level.subcommand()) {
            if (!level.unmatched().isEmpty()) {
                throw new CommandLine.UnmatchedArgumentException(level.commandSpec().commandLine(), level.unmatched());
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    /** User-facing failures print one line naming what is wrong, never a stack trace. */
    static final class OneLineErrors implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
            String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            cl.getErr().println("glad " + cl.getCommandName() + ": error: " + msg);
            if (Boolean.getBoolean("glad.debug")) {
                ex.printStackTrace(cl.getErr());
            }
            return 1;
        }
    }
}
