package com.gladstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code glad --help}: one whole sentence per command; an unknown command is an error, with or without --help. */
class GladHelpTest {

    @Test
    void everyCommandSummaryIsAWholeSentenceAndTopLevelHelpShowsIt() {
        Map<String, CommandLine> commands = GladCommand.commandLine().getSubcommands();
        assertThat(commands).containsKeys("demo", "console", "worker", "streams");
        InProcessGlad glad = new InProcessGlad();
        assertThat(glad.run("--help")).isZero();
        String help = glad.out().replaceAll("\\s+", " ");
        commands.forEach((name, command) -> {
            // picocli lists a command by the first line of its header, or of its description when it has none.
            var usage = command.getCommandSpec().usageMessage();
            String[] lines = usage.header().length > 0 ? usage.header() : usage.description();
            assertThat(lines).as(name + " has a summary").isNotEmpty();
            String summary = lines[0];
            assertThat(summary).as("summary of glad " + name)
                    .matches("[A-Z][^\\n]*[.]")
                    .doesNotContain(". "); // one sentence, not the start of the next
            assertThat(help).as("glad --help lists " + name + " with its whole summary").contains(name + " " + summary);
        });
    }

    @Test
    void unknownCommandIsAnErrorEvenWhenHelpIsAskedFor() {
        for (String[] args : new String[][] {{"nosuch", "--help"}, {"nosuch"}, {"--help", "nosuch"}}) {
            InProcessGlad glad = new InProcessGlad();
            int code = glad.run(args);
            assertThat(code).as(String.join(" ", args)).isNotZero();
            assertThat(glad.err()).as(String.join(" ", args)).contains("nosuch").contains("Unmatched argument");
            assertThat(glad.out()).as("no help printed as if all were well").doesNotContain("Commands:");
        }
    }

    @Test
    void knownCommandHelpStillSucceeds() {
        InProcessGlad glad = new InProcessGlad();
        assertThat(glad.run("console", "--help")).isZero();
        assertThat(glad.out()).contains("--port").contains("--host").contains("--config");
    }
}
