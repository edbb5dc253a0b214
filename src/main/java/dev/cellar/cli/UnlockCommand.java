package dev.cellar.cli;

import dev.cellar.app.UnlockService;
import dev.cellar.repo.LockInfo;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "unlock", description = {"Remove stale repository locks: those whose process is gone (same host) or that were not refreshed for 15 minutes (other hosts).",
                "With --all, remove every lock: only when you are sure no Cellar runs."})
final class UnlockCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    CommonOptions common;

    @Option(names = "--all", description = "Also remove locks that look alive.")
    boolean all;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, null)) {
            UnlockService.UnlockResult result = new UnlockService(context.app()).unlock(all);
            List<LockInfo> removed = result.removed();
            StringBuilder text = new StringBuilder();
            removed.forEach(l -> text.append("removed ").append(l.mode()).append(" lock of ").append(l.holder()).append(" ('")
                    .append(l.operation()).append("' since ").append(l.startedAt()).append(")\n"));
            List<LockInfo> remaining = result.remaining();
            text.append(removed.size()).append(" lock(s) removed, ").append(remaining.size()).append(" remaining");
            remaining.forEach(l -> text.append("\n  live: ").append(l.mode()).append(" lock of ").append(l.holder()).append(" ('")
                    .append(l.operation()).append("')"));
            new Output(System.out, common.json).result(removed, text.toString());
            return 0;
        }
    }
}
