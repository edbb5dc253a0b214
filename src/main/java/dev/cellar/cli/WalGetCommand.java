package dev.cellar.cli;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import dev.cellar.wal.agent.AgentClient;
import dev.cellar.wal.agent.RecoveryLease;
import dev.cellar.wal.agent.WalGet;
import dev.cellar.wal.agent.WalSpool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "get", description = {"Fetch one WAL file from the archive: PostgreSQL's restore_command.",
        "  restore_command = 'cellar wal get --config FILE --spool DIR %%f %%p'",
        "The ./cellar launcher answers without starting Java when the WAL agent has fetched the file ahead "
                + "(DIR/fetched/). A segment never archived whole is answered with its last .partial. "
                + "A file the archive does not have exits 1 with one line: PostgreSQL asks for such files all the time "
                + "(the next timeline's history, the end of the archive) and takes exit 1 as 'not there'."})
final class WalGetCommand implements Callable<Integer> {
    static final Duration AGENT_TIMEOUT = Duration.ofMinutes(2);

    @Mixin
    HelpOption help;

    @Mixin
    CommonOptions common;

    @Option(names = "--spool", paramLabel = "DIR", description = "The WAL agent's spool folder (default: wal.spool-path).")
    Path spool;

    @Option(names = "--no-agent", description = "Do not start a background WAL agent to fetch ahead.")
    boolean noAgent;

    @Option(names = "--recovery-of", paramLabel = "DATADIR",
            description = "The restore_command of 'restore pitr': --spool is that restore's own folder, created on first use "
                    + "and deleted by its agent when the recovery of DATADIR ends (or its server stops).")
    Path recoveryOf;

    @Parameters(index = "0", paramLabel = "NAME", description = "The WAL file name (%%f).")
    String name;

    @Parameters(index = "1", paramLabel = "DESTINATION", description = "Where to write it (%%p).")
    Path destination;

    @Override
    public Integer call() {
        WalFileName walName = WalFileName.parse(name);
        try (CommandContext context = CommandContext.load(common, null)) {
            WalSpool walSpool = recoveryOf == null ? WalCommand.spool(spool, context) : restoreSpool();
            WalGet.Result result;
            if (walSpool == null) {
                // a restore's spool that cannot be made must not cost the recovery a file
                result = new WalGet.Result(walName.name(), "in-process", WalCommand.openArchive(context).fetch(walName, destination.toAbsolutePath()));
            } else {
                result = new WalGet(new AgentClient(walSpool, AGENT_TIMEOUT), () -> WalCommand.openArchive(context)).get(walName, destination);
            }
            if (!result.found()) {
                System.err.println("WAL file " + walName + " is not in the archive");
                return 1;
            }
            if (walSpool != null && result.via().equals("in-process") && !noAgent && walName.kind() == WalFileName.Kind.SEGMENT) {
                WalCommand.startAgent(common, walSpool, null, walName,
                        recoveryOf == null ? List.of() : List.of("--recovery-of", recoveryOf.toAbsolutePath().toString()));
            }
            new Output(System.out, common.json).result(result, result.outcome() == WalArchive.Fetched.FOUND_PARTIAL
                    ? "restored " + walName + " from " + walName + ".partial" : "restored " + walName);
            return 0;
        }
    }

    /** The restore's spool, claimed for this recovery; null when it cannot be used. */
    private WalSpool restoreSpool() {
        if (spool == null) {
            throw new CellarException(ErrorCode.USAGE, "--recovery-of needs --spool, the restore's own spool folder");
        }
        return RecoveryLease.claim(new WalSpool(spool), recoveryOf).orElse(null);
    }
}
