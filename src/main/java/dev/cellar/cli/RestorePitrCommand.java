package dev.cellar.cli;

import dev.cellar.app.PitrRestoreService;
import dev.cellar.config.CellarConfig;
import dev.cellar.config.CellarVariable;
import dev.cellar.config.ConfigKey;
import dev.cellar.config.ConfigLoader;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.restore.PitrResult;
import dev.cellar.restore.RecoveryTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "pitr", description = {"Point-in-time recovery: restore a physical backup into a data directory and let PostgreSQL "
        + "replay archived WAL up to a target (default: everything archived).",
        "Cellar picks the newest physical backup that ends before the target (a transaction id or restore point is first "
                + "found in the archived WAL), checks that the archive holds every WAL file "
                + "on the way (and says how far it reaches if not) before it writes anything, restores the files in parallel, "
                + "and writes recovery.signal plus restore_command and the recovery_target_* settings into postgresql.auto.conf. "
                + "With --start it starts the server, fetches WAL ahead of it, waits until it promoted (or paused) and reports "
                + "the point reached. The server log is cellar-recovery.log in the data directory.",
        "No WAL agent or spool folder outlives the restore (Ctrl-C stops the server it started; after SIGKILL the agent "
                + "notices); without --start they exist only while the server recovers. Each run is in 'cellar audit'.",
        "Run it as the operating-system user that owns the data directory (usually postgres)."})
final class RestorePitrCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;

    @Option(names = {"-D", "--data-dir"}, required = true, paramLabel = "DIR", description = "Data directory to restore into (absent or empty).")
    Path dataDir;

    @Option(names = "--force", description = "Delete everything in --data-dir first (never while a server runs there).")
    boolean force;

    @Option(names = "--backup", paramLabel = "ID", description = "Start from this physical backup (default: the newest one that ends before the target).")
    String backupId;

    @ArgGroup(exclusive = true)
    Targets targets = new Targets();

    static final class Targets {
        @Option(names = "--target-time", paramLabel = "TIME", description = "Stop at this time, e.g. '2026-11-24 14:30:00+01' (no offset: this machine's zone).")
        String time;
        @Option(names = "--target-lsn", paramLabel = "LSN", description = "Stop at this WAL position, e.g. 0/3000028.")
        String lsn;
        @Option(names = "--target-xid", paramLabel = "XID", description = "Stop at the commit of this transaction id.")
        String xid;
        @Option(names = "--target-name", paramLabel = "NAME", description = "Stop at this restore point (pg_create_restore_point).")
        String name;
        @Option(names = "--target-immediate", description = "Stop as soon as the backup is consistent.")
        boolean immediate;
        @Option(names = "--target-latest", description = "Replay everything archived (the default).")
        boolean latest;
    }

    @Option(names = "--exclusive", description = "Stop just before the target instead of just after it.")
    boolean exclusive;

    @Option(names = "--target-timeline", paramLabel = "TLI", defaultValue = "latest", description = "latest (default), current, or a timeline number.")
    String timeline;

    @Option(names = "--target-action", paramLabel = "ACTION", defaultValue = "promote",
            description = "What the server does at the target: promote (default), pause or shutdown.")
    String action;

    @Option(names = "--start", description = "Start the restored server and wait until it reached the target.")
    boolean start;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Port for the restored server (written to postgresql.auto.conf; "
            + "default: the backup's). Cellar connects to it on 127.0.0.1 as database.user to watch recovery.")
    Integer port;

    @Option(names = "--archive-mode", paramLabel = "on|off", defaultValue = "on",
            description = "off switches WAL archiving off in the restored copy (for test restores and drills, so they never "
                    + "archive into this repository); on (default) keeps the backup's settings, for a real disaster recovery.")
    String archiveMode;

    @Option(names = "--tablespace-map", paramLabel = "OID=DIR", description = "Restore tablespace OID into DIR instead of its original location (repeatable).")
    Map<Long, Path> tablespaceMap = new LinkedHashMap<>();

    @Option(names = "--restore-request", paramLabel = "DAYS", arity = "0..1", fallbackValue = "7",
            description = "If WAL this recovery needs sits in an archive storage class (Glacier, Deep Archive), start its thaw, "
                    + "keep the thawed copies readable DAYS days (default 7) and stop; run the restore again once the thaw is done.")
    Integer thawDays;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "3600", description = "Longest wait for recovery with --start (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Mixin
    JobsOption jobs;

    @Override
    public Integer call() {
        if (!archiveMode.equals("on") && !archiveMode.equals("off")) {
            throw new CellarException(ErrorCode.USAGE, "--archive-mode must be on or off, got '" + archiveMode + "'");
        }
        RecoveryTarget target = target();
        try (CommandContext context = CommandContext.load(common, null)) {
            CellarConfig config = context.config();
            Path configFile = ConfigLoader.configFile(common.config, System.getenv()).orElse(null);
            List<String> warnings = new java.util.ArrayList<>();
            if (!CellarInvocation.secretTravels(config)) {
                warnings.add("restore_command runs in PostgreSQL's environment, which does not see this shell's "
                        + CellarVariable.PASSPHRASE.variable() + ": WAL that was not fetched ahead will fail to fetch. Put the passphrase in "
                        + ConfigKey.REPOSITORY_PASSPHRASE_FILE.dotted() + ".");
            }
            PitrRestoreService.Request request = new PitrRestoreService.Request(dataDir, force, backupId, target, start, port,
                    archiveMode.equals("off"), tablespaceMap, jobs.or(config.backup()), Duration.ofSeconds(timeoutSeconds),
                    thawDays == null ? null : Duration.ofDays(Math.max(1, thawDays)), CellarInvocation.of(config, configFile));
            PitrResult result;
            try (TerminalProgress progress = TerminalProgress.forTerminal()) {
                result = new PitrRestoreService(context.app()).restore(request, progress);
            }
            warnings.addAll(result.warnings());
            context.output().result(result, summary(result, warnings));
            return context.exitCode(0);
        }
    }

    private RecoveryTarget target() {
        boolean inclusive = !exclusive;
        if (targets.time != null) {
            return RecoveryTarget.time(targets.time, inclusive, timeline, action, ZoneId.systemDefault());
        }
        if (targets.lsn != null) {
            return RecoveryTarget.lsn(targets.lsn, inclusive, timeline, action);
        }
        if (targets.xid != null) {
            return RecoveryTarget.xid(targets.xid, inclusive, timeline, action);
        }
        if (targets.name != null) {
            return RecoveryTarget.name(targets.name, timeline, action);
        }
        if (targets.immediate) {
            return RecoveryTarget.immediate(timeline, action);
        }
        return RecoveryTarget.latest(timeline, action);
    }

    private static String summary(PitrResult r, List<String> warnings) {
        StringBuilder text = new StringBuilder();
        text.append("restored ").append(r.backupType()).append(" backup ").append(r.backupId()).append(" (").append(r.files()).append(" files, ")
                .append(Output.bytes(r.bytes())).append(" in ").append(Output.seconds(r.filesDuration())).append(") into ").append(r.dataDir());
        text.append("\nrecovery target: ").append(r.target()).append(", timeline ").append(r.targetTimeline());
        text.append("\nbackup chosen: ").append(r.backupChoice());
        text.append("\nWAL archived: ").append(r.walFirst()).append(" .. ").append(r.walLast())
                .append(r.walLastArchived() == null ? "" : " (last archived " + r.walLastArchived() + ")");
        if ("not started".equals(r.state())) {
            text.append("\nnot started. Start it with: pg_ctl -D ").append(r.dataDir()).append(" start")
                    .append("\n(recovery.signal and the recovery settings are in place; PostgreSQL fetches WAL through restore_command, "
                            + "whose WAL agent and spool folder go away by themselves when recovery ends)");
        } else {
            text.append("\nserver ").append(r.state()).append(" after ").append(Output.seconds(r.recoveryDuration()))
                    .append(": replayed up to LSN ").append(r.replayedLsn())
                    .append(r.lastReplayedCommit() == null ? "" : ", last commit replayed at " + r.lastReplayedCommit())
                    .append(r.timeline() == null ? "" : ", now on timeline " + r.timeline())
                    .append(r.stopMessage() == null ? "" : "\n" + r.stopMessage())
                    .append("\n").append(r.prefetched()).append(" WAL files fetched ahead; recoveries started: ").append(r.recoveriesStarted());
        }
        if (r.erasures() != null) {
            text.append('\n').append(GdprText.reapplied(r.erasures()).stripTrailing());
        }
        warnings.forEach(w -> text.append("\nwarning: ").append(w));
        return text.toString();
    }
}
