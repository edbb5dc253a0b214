package dev.cellar.cli;

import dev.cellar.backup.BackupResult;
import dev.cellar.backup.DumpSource;
import dev.cellar.backup.LogicalBackup;
import dev.cellar.backup.LogicalBackupOptions;
import dev.cellar.config.BackupConfig;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.WormPolicy;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "logical", description = {"Back up one database with pg_dump, from a consistent snapshot, into the repository.",
                "The dump is streamed: chunked, deduplicated against earlier backups, compressed (zstd) and "
                        + "encrypted (AES-256-GCM) without touching local disk. Exact per-table row counts are recorded "
                        + "from the same snapshot for 'cellar verify --restore-test'. The backup exists only once its "
                        + "manifest is written; an interrupted backup leaves nothing but chunks that 'cellar gc' reclaims."})
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

    @Override
    public Integer call() {
        CommandContext context = CommandContext.load(common, database);
        BackupConfig config = context.config().backup();
        CommandContext.Unlocked<DumpSource> unlocked =
                context.openRepositoryWhile(db -> DumpSource.prepare(db, context.config().postgres().binDir()),
                        LogicalBackup::auditFailedStart);
        LogicalBackupOptions options = new LogicalBackupOptions(compressionLevel != null ? compressionLevel : config.compressionLevel(),
                jobs.or(config), context.config().postgres().binDir(), context.lockWait(), new WormPolicy(context.config().worm()));
        BackupResult result;
        try (TerminalProgress progress = TerminalProgress.forTerminal()) {
            result = new LogicalBackup(unlocked.repository(), unlocked.checked(), options, progress).run();
        }
        BackupManifest m = result.manifest();
        new Output(System.out, common.json).result(result, String.format(Locale.ROOT,
                "backup %s of database %s finished in %s%n"
                        + "  dump %s in %d chunks, %d tables, %d rows%n"
                        + "  new data %s (%.1f%% of the dump), repository grew by %s%s",
                m.id(), m.database(), Output.seconds(m.duration()), Output.bytes(m.totalBytes()), m.chunkCount(), m.tables().size(),
                m.totalRows(), Output.bytes(result.newPlainBytes()), 100 * result.newByteRatio(), Output.bytes(result.storedBytes()),
                m.retention() == null ? "" : "\n  locked (" + m.retention().mode().name().toLowerCase(Locale.ROOT) + ") until "
                        + m.retention().retainUntil()), context.copiesBehind());
        return 0;
    }
}
