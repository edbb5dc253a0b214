package dev.cellar.cli;

import dev.cellar.app.PhysicalBackupService;
import dev.cellar.backup.PhysicalBackupOptions;
import dev.cellar.backup.PhysicalBackupResult;
import dev.cellar.error.ErrorCode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "physical", description = {"Back up the whole cluster's data directory (run on the database host).",
        "Uses the non-exclusive backup API (pg_backup_start/pg_backup_stop) on one session, reads the files in parallel in "
                + "1 MiB page-aligned blocks, deduplicated, compressed and encrypted like every Cellar backup, validates page "
                + "checksums when the cluster has them, and archives the WAL from the backup's start to its stop so the backup "
                + "restores on its own. An incremental backup (--type incr) takes unchanged files from the newest physical "
                + "backup of the cluster and stores only changed blocks of the others; every backup lists all files.",
        "Exit code 13 when pages with bad checksums were found: the backup is kept, the pages are listed.",
        "See docs/physical-backup.md."})
final class BackupPhysicalCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    CommonOptions common;
    @Mixin
    DatabaseOptions database;

    @Option(names = "--type", paramLabel = "full|incr", defaultValue = "full",
            description = "full: read every file; incr: reuse files unchanged since the newest physical backup (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The cluster's data directory (postgres.data-dir; default: what the server reports as data_directory).")
    Path dataDir;

    @Option(names = "--compression-level", paramLabel = "N",
            description = "zstd level 1..19 for data blocks (default " + PhysicalBackupOptions.DEFAULT_COMPRESSION_LEVEL + ").")
    Integer compressionLevel;

    @Mixin
    JobsOption jobs;

    @Override
    public Integer call() {
        boolean incremental = switch (type) {
            case "full" -> false;
            case "incr", "incremental" -> true;
            default -> throw new dev.cellar.error.CellarException(ErrorCode.USAGE, "--type must be full or incr, got '" + type + "'");
        };
        try (CommandContext context = CommandContext.load(common, database)) {
            PhysicalBackupResult r;
            try (TerminalProgress progress = TerminalProgress.forTerminal()) {
                r = new PhysicalBackupService(context.app()).backup(incremental, dataDir, jobs.or(context.config().backup()), compressionLevel,
                        progress);
            }
            for (String page : r.badPages()) {
                System.err.println("warning: page checksum failed: " + page);
            }
            new Output(System.out, common.json).result(r, String.format(Locale.ROOT,
                    "%s physical backup %s finished in %.1f s (%.0f MB/s)%s%n"
                            + "  files      %d (%d reused from %s), %s%n"
                            + "  read       %s; blocks %d new, %d already stored%n"
                            + "  stored     %s (new data %s before compression)%n"
                            + "  WAL        %s .. %s (LSN %s .. %s, timeline %d), %d segments archived%n"
                            + "  checksums  %s%s",
                    r.type(), r.id(), r.durationMillis() / 1000.0, r.megabytesPerSecond(), r.parentId() == null ? "" : " on " + r.parentId(),
                    r.files(), r.filesReused(), r.parentId() == null ? "none" : r.parentId(), Output.bytes(r.totalBytes()),
                    Output.bytes(r.bytesRead()), r.newBlocks(), r.reusedBlocks(), Output.bytes(r.storedBytes()), Output.bytes(r.newPlainBytes()),
                    r.startWal(), r.stopWal(), r.startLsn(), r.stopLsn(), r.timeline(), r.walSegments(),
                    !r.dataChecksums() ? "not enabled on this cluster" : r.badPages().isEmpty() ? "all pages verified"
                            : r.badPages().size() + " bad page(s): " + String.join(", ", r.badPages()),
                    r.manifest().retention() == null ? "" : "\n  locked     " + r.manifest().retention().mode().name().toLowerCase(Locale.ROOT)
                            + " until " + r.manifest().retention().retainUntil() + ", with its WAL " + r.startWal() + " .. " + r.stopWal()), context.copiesBehind());
            return r.badPages().isEmpty() ? 0 : ErrorCode.VERIFY_FAILED.exitCode();
        }
    }
}
