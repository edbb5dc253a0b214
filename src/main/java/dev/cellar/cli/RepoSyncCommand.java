package dev.cellar.cli;

import dev.cellar.app.RepoSyncService;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.sync.SyncResult;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sync", description = {"Bring every copy of the repository up to the newest state any copy holds.",
                "Default: each copy receives from each other copy what it lacks (backups, WAL), so a copy that was "
                        + "down, or written alone with --repo-name, catches up whichever copy it is. An empty copy receives the "
                        + "header and keys first; then chunks, WAL and backup manifests, in that order, each checked in the "
                        + "source before it is written. A backup or WAL file the target's own retention would expire at once is "
                        + "not copied. Then the audit trail is made one again in every copy: records a copy lacks are copied, "
                        + "and records written apart are joined by one 'audit.join' record. Running it again copies nothing. "
                        + "Exit code 10 if an object could not be copied because the source's copy is missing or damaged; 22 if "
                        + "a copy could not be reached (the others are synced)."})
final class RepoSyncCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    CommonOptions common;

    @Option(names = "--from", paramLabel = "NAME", description = "Copy only from this copy (default: from every copy).")
    String from;

    @Option(names = "--to", paramLabel = "NAME", description = "Copy only into these copies (default: into every copy).")
    List<String> to = List.of();

    @Option(names = "--dry-run", description = "Say what would be copied; write nothing.")
    boolean dryRun;

    @Mixin
    JobsOption jobs;

    @Override
    public Integer call() {
        if (common.repositoryName != null) {
            throw new CellarException(ErrorCode.USAGE, "repo sync takes --from and --to, not --repo-name");
        }
        try (CommandContext context = CommandContext.load(common, null)) {
            SyncResult result;
            try (TerminalProgress progress = TerminalProgress.forTerminal()) {
                result = new RepoSyncService(context.app()).sync(from, to, dryRun, jobs.or(context.config().backup()), progress);
            }
            new Output(System.out, common.json, null, context.copiesUnreachable()).result(result, describe(result));
            if (!context.copiesUnreachable().isEmpty()) {
                context.warnPartial("copy " + String.join(", ", context.copiesUnreachable()) + " could not be reached: what it lacks was "
                        + "not all copied", "run 'cellar repo sync' again once " + String.join(", ", context.copiesUnreachable()) + " answers");
            }
            if (!result.ok()) {
                return ErrorCode.INTEGRITY.exitCode();
            }
            return result.unreachable().isEmpty() ? context.exitCode(0) : ErrorCode.PARTIAL.exitCode();
        }
    }

    private static String describe(SyncResult result) {
        StringBuilder text = new StringBuilder();
        String verb = result.dryRun() ? "would copy" : "copied";
        for (SyncResult.CopyResult copy : result.targets()) {
            text.append(copy.from()).append(" -> ").append(copy.to()).append(" (").append(copy.location()).append(")");
            if (copy.initialised()) {
                text.append(result.dryRun() ? ": empty, would receive header and keys" : ": was empty, received header and keys");
            }
            text.append('\n');
            if (copy.copiedNothing() && copy.failures().isEmpty()) {
                text.append("  up to date: nothing to copy\n");
            } else {
                text.append(String.format(Locale.ROOT, "  %s %d backup(s), %d chunk(s) %s, %d WAL file(s) %s%n", verb,
                        copy.backupsCopied().size(), copy.chunks().objects(), Output.bytes(copy.chunks().bytes()),
                        copy.wal().objects(), Output.bytes(copy.wal().bytes())));
                if (copy.lifecycle().objects() > 0) {
                    text.append(String.format(Locale.ROOT, "  %s %d archive and erasure-ledger object(s) %s%n", verb,
                            copy.lifecycle().objects(), Output.bytes(copy.lifecycle().bytes())));
                }
                copy.backupsCopied().forEach(id -> text.append("  backup ").append(id).append('\n'));
            }
            copy.skipped().forEach(s -> text.append("  skipped: ").append(s).append('\n'));
            copy.failures().forEach(f -> text.append("  FAILED: ").append(f).append('\n'));
        }
        SyncResult.AuditResult audit = result.audit();
        text.append("audit trail: ");
        if (audit.total() == 0 && audit.joinedBranches() == 0) {
            text.append("the same in every copy\n");
        } else {
            text.append(verb).append(' ').append(audit.total()).append(" record(s)");
            audit.recordsCopied().forEach((copy, n) -> text.append(", ").append(n).append(" into ").append(copy));
            if (audit.joinedBranches() > 0) {
                text.append(result.dryRun() ? "; would join " + audit.joinedBranches() + " branches written apart"
                        : "; joined " + audit.joinedBranches() + " branches written apart (record " + audit.joinRecord() + ")");
            }
            text.append('\n');
        }
        audit.notCopied().forEach(n -> text.append("  not copied: ").append(n).append('\n'));
        if (!result.unreachable().isEmpty()) {
            text.append("NOT REACHED: ").append(String.join(", ", result.unreachable()))
                    .append(" (the other copies are synced; run 'cellar repo sync' again once ")
                    .append(String.join(", ", result.unreachable())).append(result.unreachable().size() == 1 ? " answers)\n" : " answer)\n");
        }
        return text.toString();
    }
}
