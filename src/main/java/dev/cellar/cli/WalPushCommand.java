package dev.cellar.cli;

import dev.cellar.wal.agent.AgentClient;
import dev.cellar.wal.agent.WalPush;
import dev.cellar.wal.agent.WalSpool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "push", description = {"Archive one WAL file: PostgreSQL's archive_command.",
        "  archive_command = 'cellar wal push --config FILE --spool DIR %%p'",
        "Exits 0 only once the file is durably in the repository. The ./cellar launcher answers at once, without "
                + "starting Java, when the WAL agent has already shipped the file (a marker in DIR/pushed/). Otherwise the "
                + "running agent is asked over its socket; with no agent, the file is archived by this process and an agent "
                + "is started in the background for the next ones (unless --no-agent).",
        "Pushing the same content again succeeds ('already archived'); different content under an archived name "
                + "fails with exit code 16 and overwrites nothing."})
final class WalPushCommand implements Callable<Integer> {
    /** Longest wait for the agent before archiving in this process instead (pushing twice is safe). */
    static final Duration AGENT_TIMEOUT = Duration.ofMinutes(2);

    @Mixin
    HelpOption help;

    @Mixin
    CommonOptions common;

    @Option(names = "--spool", paramLabel = "DIR", description = "The WAL agent's spool folder (default: wal.spool-path). "
            + "Give it explicitly in archive_command: the launcher's fast path only looks there.")
    Path spool;

    @Option(names = "--no-agent", description = "Do not start a background WAL agent (a running one is still used).")
    boolean noAgent;

    @Parameters(index = "0", paramLabel = "PATH", description = "The WAL file, as PostgreSQL passes it (%%p).")
    Path file;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, null)) {
            WalSpool walSpool = WalCommand.spool(spool, context);
            WalPush.Result result = new WalPush(new AgentClient(walSpool, AGENT_TIMEOUT), () -> {
                if (!noAgent) {
                    // no agent answered: start one first, so its JVM start and key derivation overlap this push
                    // (if it picks up this same file too, the second push finds it archived)
                    Path pgData = context.config().postgres().dataDir() != null ? context.config().postgres().dataDir() : WalPush.dataDirectoryOf(file);
                    WalCommand.startAgent(common, walSpool, pgData, null);
                }
                return WalCommand.openArchive(context);
            }).push(file);
            String human;
            if (result.alreadyArchived()) {
                human = result.file() + " already archived with the same content";
            } else if (result.via().equals("agent")) {
                human = "archived " + result.file() + " through the WAL agent";
            } else {
                human = "archived " + result.file() + " (" + Output.bytes(result.size()) + ", " + Output.bytes(result.storedBytes()) + " stored)";
            }
            new Output(System.out, common.json).result(result, human, context.copiesBehind());
            return 0;
        }
    }
}
