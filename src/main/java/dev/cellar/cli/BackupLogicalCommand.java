package dev.cellar.cli;

import dev.cellar.app.LogicalBackupService;
import dev.cellar.backup.BackupResult;
import dev.cellar.backup.ClusterBackupResult;
import dev.cellar.repo.BackupManifest;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "logical", description = {"Back up one database with pg_dump, from a consistent snapshot, into the repository.",
                "The dump is streamed: chunked, deduplicated against earlier backups, compressed (zstd) and "
                        + "encrypted (AES-256-GCM) without touching local disk. Exact per-table row counts are recorded "
                        + "from the same snapshot for 'cellar verify --restore-test'. The backup exists only once its "
                        + "manifest is written; an interrupted backup leaves nothing but chunks that 'cellar gc' reclaims.",
                "Each backup also stores the cluster's globals (pg_dumpall --globals-only) and the roles, memberships, "
                        + "tablespaces, settings, ACL and comment the database needs, so it can be restored onto a new server."})
final class BackupLogicalCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    CommonOptions common;
    @Mixin
    DatabaseOptions database;

    @Option(names = "--compression-level", paramLabel = "N", description = "zstd level 1..19 (backup.compression-level, default 6).")
    Integer compressionLevel;

    @Mixin
    JobsOption jobs;

    @Option(names = "--all", description = "Back up every database of the cluster (not template0/template1) and the cluster's roles "
            + "and tablespaces: one backup per database, one shared copy of the globals. The database named by database.name is "
            + "only where Cellar connects to list the others. A database that fails does not stop the others; the exit code is "
            + "then that of the first failure.")
    boolean all;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, database)) {
            LogicalBackupService service = new LogicalBackupService(context.app());
            service.prepare();
            int workers = jobs.or(context.config().backup());
            if (all) {
                ClusterBackupResult run;
                try (TerminalProgress progress = TerminalProgress.forTerminal()) {
                    run = service.backupCluster(compressionLevel, workers, progress);
                }
                new Output(System.out, common.json).result(run, clusterText(run), context.copiesBehind());
                return run.exitCode();
            }
            BackupResult result;
            try (TerminalProgress progress = TerminalProgress.forTerminal()) {
                result = service.backupDatabase(compressionLevel, workers, progress);
            }
            BackupManifest m = result.manifest();
            new Output(System.out, common.json).result(result, String.format(Locale.ROOT,
                    "backup %s of database %s finished in %s%n"
                            + "  dump %s in %d chunks, %d tables, %d rows%n"
                            + "  new data %s (%.1f%% of the dump), repository grew by %s%n"
                            + "  with the cluster's globals: the %d role(s) the database names%s%s%s",
                    m.id(), m.database(), Output.seconds(m.duration()), Output.bytes(m.totalBytes()), m.chunkCount(), m.tables().size(),
                    m.totalRows(), Output.bytes(result.newPlainBytes()), 100 * result.newByteRatio(), Output.bytes(result.storedBytes()),
                    m.globals().database().roles().size(),
                    m.globals().database().tablespaces().isEmpty() ? "" : " and tablespace(s) " + String.join(", ", m.globals().database().tablespaces()),
                    m.globals().rolePasswords() ? "" : " (without role passwords: the backup role cannot read pg_authid)",
                    m.retention() == null ? "" : "\n  locked (" + m.retention().mode().name().toLowerCase(Locale.ROOT) + ") until "
                            + m.retention().retainUntil()), context.copiesBehind());
            return 0;
        }
    }

    private static String clusterText(ClusterBackupResult run) {
        StringBuilder text = new StringBuilder("run ").append(run.run()).append(": ")
                .append(run.databases().size() - run.failed().size()).append(" of ").append(run.databases().size())
                .append(" database(s) backed up, with the cluster's roles and tablespaces")
                .append(run.rolePasswords() ? "" : " (without role passwords: the backup role cannot read pg_authid)");
        for (ClusterBackupResult.DatabaseOutcome outcome : run.databases()) {
            text.append("\n  ").append(outcome.ok() ? "ok      " : "FAILED  ").append(outcome.database());
            if (outcome.ok()) {
                BackupManifest m = outcome.backup().manifest();
                text.append(String.format(Locale.ROOT, "  backup %s, %s, %d tables, %d rows, repository grew by %s", m.id(),
                        Output.bytes(m.totalBytes()), m.tables().size(), m.totalRows(), Output.bytes(outcome.backup().storedBytes())));
            } else {
                text.append("\n      ").append(outcome.error());
            }
        }
        return text.toString();
    }
}
