package dev.cellar.cli;

import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import dev.cellar.wal.agent.AgentLauncher;
import dev.cellar.wal.agent.WalSpool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "wal", subcommands = {WalPushCommand.class, WalGetCommand.class, WalAgentCommand.class, WalStreamCommand.class},
        description = {"Continuous WAL archiving: archive_command, restore_command and the resident WAL agent.",
                "archive_command = '/path/to/cellar wal push --config /etc/cellar/cellar.yaml --spool /var/lib/cellar/spool %%p'",
                "restore_command = '/path/to/cellar wal get --config /etc/cellar/cellar.yaml --spool /var/lib/cellar/spool %%f %%p'",
                "See docs/wal-archiving.md."})
final class WalCommand implements Runnable {
    @Mixin
    HelpOption help;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** The spool folder: the flag, else {@code wal.spool-path}; created private if missing. */
    static WalSpool spool(Path flag, CommandContext context) {
        return new WalSpool(flag != null ? flag : context.config().wal().spoolPath()).create();
    }

    static WalArchive openArchive(CommandContext context) {
        return new WalArchive(context.openRepository(), context.config().wal().compressionLevel());
    }

    /** Starts a background agent for this spool unless one runs, passing on how this command found its repository. */
    static void startAgent(CommonOptions common, WalSpool spool, Path pgData, WalFileName prefetchAfter) {
        startAgent(common, spool, pgData, prefetchAfter, List.of());
    }

    /** The same with further agent options (a restore's spool: {@code --recovery-of DATADIR}). */
    static void startAgent(CommonOptions common, WalSpool spool, Path pgData, WalFileName prefetchAfter, List<String> more) {
        List<String> arguments = new ArrayList<>(List.of("--spool", spool.root().toString()));
        arguments.addAll(more);
        if (common.config != null) {
            arguments.addAll(List.of("--config", common.config.toAbsolutePath().toString()));
        }
        if (common.repository != null) {
            arguments.addAll(List.of("--repo", common.absoluteRepository()));
        }
        if (common.repositoryName != null) {
            arguments.addAll(List.of("--repo-name", common.repositoryName));
        }
        if (common.keyFile != null) {
            arguments.addAll(List.of("--key-file", common.keyFile.toAbsolutePath().toString()));
        }
        if (pgData != null) {
            arguments.addAll(List.of("--pg-data", pgData.toString()));
        }
        if (prefetchAfter != null) {
            arguments.addAll(List.of("--prefetch-after", prefetchAfter.name()));
        }
        new AgentLauncher(CellarCommand.class.getName()).startIfAbsent(spool, arguments);
    }
}
