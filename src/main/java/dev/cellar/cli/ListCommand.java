package dev.cellar.cli;

import dev.cellar.repo.BackupCatalog;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.Repository;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list", description = {"List the finished backups in the repository, oldest first.",
                "Backups that were interrupted never appear here."})
final class ListCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    @Mixin
    CommonOptions common;

    /** One line of the listing. */
    record BackupSummary(String id, String kind, String database, String startedAt, double durationSeconds, long bytes,
                         long storedBytes, int tables, long rows, String serverVersion) {
    }

    @Override
    public Integer call() {
        Repository repository = CommandContext.load(common, null).openRepository();
        List<BackupSummary> backups = new BackupCatalog(repository).all().stream().map(ListCommand::summary).toList();
        StringBuilder text = new StringBuilder();
        if (backups.isEmpty()) {
            text.append("no backups yet in ").append(repository.storage().describe());
        } else {
            text.append(String.format(Locale.ROOT, "%-24s %-8s %-22s %-21s %8s %10s %10s %8s%n",
                    "ID", "KIND", "DATABASE", "STARTED", "TIME", "SIZE", "ADDED", "TABLES"));
            for (BackupSummary b : backups) {
                text.append(String.format(Locale.ROOT, "%-24s %-8s %-22s %-21s %7.1fs %10s %10s %8d%n",
                        b.id(), b.kind(), b.database(), b.startedAt(), b.durationSeconds(), Output.bytes(b.bytes()),
                        Output.bytes(b.storedBytes()), b.tables()));
            }
        }
        new Output(System.out, common.json).result(backups, text.toString());
        return 0;
    }

    static BackupSummary summary(BackupManifest m) {
        return new BackupSummary(m.id(), m.kind(), m.database(), TIME.format(m.startedAt()), m.duration().toMillis() / 1000.0,
                m.totalBytes(), m.storedBytes(), m.tables().size(), m.totalRows(), m.serverVersion());
    }
}
