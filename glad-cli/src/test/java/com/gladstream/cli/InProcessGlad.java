package com.gladstream.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Runs {@code glad} commands in-process on {@link GladCommand#commandLine()} and keeps what they
 * printed. Output accumulates over runs, so one instance per test keeps tests from seeing each
 * other's output.
 */
public final class InProcessGlad {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Runs {@code glad args...}; returns its exit code. */
    public int run(String... args) {
        CommandLine cl = GladCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    public String out() {
        return out.toString();
    }

    public String err() {
        return err.toString();
    }
}
