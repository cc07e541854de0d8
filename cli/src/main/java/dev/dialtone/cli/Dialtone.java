package dev.dialtone.cli;

import dev.dialtone.cli.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dialtone} command. */
@Command(name = "dialtone", mixinStandardHelpOptions = true, version = "Dialtone 0.1.0",
        description = "Self-hosted call signaling: a server, a token tool and a terminal softphone.",
        subcommands = {ServeCommand.class, TokenCommand.class, CallCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Dialtone {

    public static void main(String[] args) {
        int exit = new CommandLine(new Dialtone())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }
}
