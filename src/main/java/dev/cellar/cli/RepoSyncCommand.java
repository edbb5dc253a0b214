package dev.cellar.cli;

import dev.cellar.config.RepositoryTarget;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.Repository;
import dev.cellar.sync.RepositorySync;
import dev.cellar.sync.SyncResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sync", description = {"Copy into each copy of the repository what it lacks from another.",
                "Default: from the first configured copy to every other one. An empty copy receives the header and keys "
                        + "first; then chunks, WAL, backup manifests and audit records, in that order, each checked in the source "
                        + "before it is written. A backup or WAL file the target's own retention would expire at once is not "
                        + "copied. Running it again copies nothing. Exit code 10 if an object could not be copied because the "
                        + "source's copy is missing or damaged."})
final class RepoSyncCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    CommonOptions common;

    @Option(names = "--from", paramLabel = "NAME", description = "Copy read from (default: the first configured copy).")
    String from;

    @Option(names = "--to", paramLabel = "NAME", description = "Copy written to (default: every copy but the source).")
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
        CommandContext context = CommandContext.load(common, null);
        List<RepositoryTarget> all = context.config().requireRepositories();
        RepositoryTarget source = from == null ? all.get(0) : context.config().repositoryNamed(from);
        List<RepositoryTarget> targets = new ArrayList<>();
        if (to.isEmpty()) {
            all.stream().filter(t -> !t.name().equals(source.name())).forEach(targets::add);
        } else {
            to.forEach(name -> targets.add(context.config().repositoryNamed(name)));
        }
        if (targets.isEmpty() || targets.stream().anyMatch(t -> t.name().equals(source.name()))) {
            throw new CellarException(ErrorCode.USAGE, all.size() < 2
                    ? "repo sync needs at least two copies configured under repositories:"
                    : "repo sync copies from one copy to others; --to must name copies other than '" + source.name() + "'");
        }
        Repository opened = context.openRepository();
        RepositorySync sync = new RepositorySync(opened.onCopy(context.storageOf(source)), source.name(), jobs.or(context.config().backup()));
        List<SyncResult.CopyResult> results = new ArrayList<>();
        try (TerminalProgress progress = TerminalProgress.forTerminal()) {
            for (RepositoryTarget target : targets) {
                results.add(sync.syncTo(new RepositorySync.Target(target.name(), context.storageOf(target), target.retention()),
                        dryRun, context.lockWait(), progress));
            }
        }
        SyncResult result = new SyncResult(source.name(), dryRun, results);
        new Output(System.out, common.json).result(result, describe(result));
        return result.ok() ? 0 : ErrorCode.INTEGRITY.exitCode();
    }

    private static String describe(SyncResult result) {
        StringBuilder text = new StringBuilder();
        String verb = result.dryRun() ? "would copy" : "copied";
        for (SyncResult.CopyResult copy : result.targets()) {
            text.append(result.from()).append(" -> ").append(copy.to()).append(" (").append(copy.location()).append(")");
            if (copy.initialised()) {
                text.append(result.dryRun() ? ": empty, would receive header and keys" : ": was empty, received header and keys");
            }
            text.append('\n');
            if (copy.copiedNothing() && copy.failures().isEmpty()) {
                text.append("  up to date: nothing to copy\n");
            } else {
                text.append(String.format(Locale.ROOT, "  %s %d backup(s), %d chunk(s) %s, %d WAL file(s) %s, %d audit record(s)%n", verb,
                        copy.backupsCopied().size(), copy.chunks().objects(), Output.bytes(copy.chunks().bytes()),
                        copy.wal().objects(), Output.bytes(copy.wal().bytes()), copy.audit().objects()));
                copy.backupsCopied().forEach(id -> text.append("  backup ").append(id).append('\n'));
            }
            copy.skipped().forEach(s -> text.append("  skipped: ").append(s).append('\n'));
            copy.failures().forEach(f -> text.append("  FAILED: ").append(f).append('\n'));
        }
        return text.toString();
    }
}
