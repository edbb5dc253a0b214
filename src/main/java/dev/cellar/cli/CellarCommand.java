package dev.cellar.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Root of the command line: `cellar <command>`. */
@Command(name = "cellar", mixinStandardHelpOptions = true, version = "cellar 0.1.0",
        description = "Backup, restore and verification for PostgreSQL.")
public final class CellarCommand implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new CellarCommand()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
