package dev.cellar.cli;

import dev.cellar.config.WalConfig;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.wal.WalFileName;
import dev.cellar.wal.agent.WalAgent;
import dev.cellar.wal.agent.WalSpool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "agent", description = {"Run the resident WAL agent (in the foreground; for systemd or a terminal).",
        "It opens the repository once, ships WAL files as soon as PostgreSQL flags them ready "
                + "(pg_wal/archive_status/*.ready), so archive_command finds them done and exits at once, answers "
                + "'wal push'/'wal get' on DIR/agent.sock, and fetches WAL ahead during recovery. One agent per spool "
                + "folder: a second one exits 0. 'wal push' and 'wal get' start one in the background when none runs. "
                + "It exits after wal.agent-idle-minutes without work (0: never), and on SIGTERM after finishing "
                + "the shipments under way. Log: DIR/agent.log.",
        "With --recovery-of it serves the spool of a point-in-time restore instead: it never creates the folder, "
                + "watches the restore that owns it (or, without one, the recovery of the data directory) and deletes "
                + "the folder with every WAL file in it as soon as that ends."})
final class WalAgentCommand implements Callable<Integer> {
    static final int SHIP_WORKERS = 2;
    static final int PREFETCH_SEGMENTS = 8;
    static final Duration POLL = Duration.ofMillis(20);

    @Mixin
    HelpOption help;

    @Mixin
    CommonOptions common;

    @Option(names = "--pg-data", paramLabel = "DIR", description = "The cluster's data directory to watch (default: postgres.data-dir; "
            + "without one the agent only answers requests).")
    Path pgData;

    @Option(names = "--spool", paramLabel = "DIR", description = "Spool folder (default: wal.spool-path).")
    Path spool;

    @Option(names = "--prefetch-after", paramLabel = "SEGMENT", hidden = true,
            description = "Start fetching ahead after this segment (used when 'wal get' starts the agent).")
    String prefetchAfter;

    @Option(names = "--recovery-of", paramLabel = "DATADIR",
            description = "Serve the spool (--spool) of a restore of DATADIR: exit and delete the spool when its restore "
                    + "or the recovery ends (set by 'restore pitr' and its restore_command).")
    Path recoveryOf;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, null)) {
            if (recoveryOf != null) {
                return serveRecovery(context);
            }
            WalSpool walSpool = WalCommand.spool(spool, context);
            if (WalAgent.isRunning(walSpool)) {
                System.out.println("a WAL agent already runs for " + walSpool.root() + " (pid " + WalAgent.runningPid(walSpool) + ")");
                return 0;
            }
            Path dataDir = pgData != null ? pgData : context.config().postgres().dataDir();
            if (dataDir != null && !Files.isDirectory(dataDir.resolve("pg_wal"))) {
                throw new CellarException(ErrorCode.USAGE, dataDir + " is not a PostgreSQL data directory (no pg_wal folder)",
                        "give --pg-data the folder PostgreSQL runs on (SHOW data_directory)");
            }
            WalConfig config = context.config().wal();
            WalAgent.Settings settings = new WalAgent.Settings(dataDir == null ? null : dataDir.toAbsolutePath(), SHIP_WORKERS, PREFETCH_SEGMENTS,
                    Duration.ofMinutes(config.agentIdleMinutes()), POLL, prefetchAfter == null ? null : WalFileName.parse(prefetchAfter), false);
            return runAgent(context, walSpool, settings);
        }
    }

    /** The agent of a restore's spool: the folder must exist with its lease, and goes when the agent does. */
    private Integer serveRecovery(CommandContext context) {
        if (spool == null) {
            throw new CellarException(ErrorCode.USAGE, "--recovery-of needs --spool, the restore's own spool folder");
        }
        WalSpool walSpool = new WalSpool(spool);
        WalAgent.Settings settings = new WalAgent.Settings(null, SHIP_WORKERS, PREFETCH_SEGMENTS,
                Duration.ofMinutes(context.config().wal().agentIdleMinutes()), POLL,
                prefetchAfter == null ? null : WalFileName.parse(prefetchAfter), true);
        return runAgent(context, walSpool, settings);
    }

    private Integer runAgent(CommandContext context, WalSpool walSpool, WalAgent.Settings settings) {
        WalAgent agent = new WalAgent(WalCommand.openArchive(context), walSpool, settings, Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> agent.stop(Duration.ofMinutes(2)), "wal-agent-stop"));
        WalAgent.Outcome outcome = agent.run();
        String deleted = settings.servesRecovery() && outcome != WalAgent.Outcome.ALREADY_RUNNING ? "; its spool folder was deleted" : "";
        System.out.println(switch (outcome) {
            case ALREADY_RUNNING -> "a WAL agent already runs for " + walSpool.root() + " (pid " + WalAgent.runningPid(walSpool) + ")";
            case IDLE -> "WAL agent stopped: no work for " + context.config().wal().agentIdleMinutes() + " minutes" + deleted;
            case STOPPED -> "WAL agent stopped" + deleted;
            case DATA_DIRECTORY_GONE -> "WAL agent stopped: the data directory " + settings.pgData() + " is gone";
            case SPOOL_GONE -> "WAL agent stopped: its spool folder is gone";
            case LEASE_ENDED -> "WAL agent stopped: " + agent.leaseEnd() + deleted;
        });
        return 0;
    }
}
