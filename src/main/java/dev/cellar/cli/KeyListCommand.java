package dev.cellar.cli;

import dev.cellar.app.KeyService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list", description = "List the key slots: id, kind, when it was added, and what unlocking with it needs (never a secret).")
final class KeyListCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, null)) {
            KeyService.KeyListResult result = new KeyService(context.app()).list();
            StringBuilder text = new StringBuilder("key slots of " + result.repository() + ":\n");
            result.slots().forEach(slot -> text.append("  ").append(KeyCommand.line(slot)).append('\n'));
            text.append("data keys (behind every slot; 'cellar key rotate' adds one):\n");
            result.dataKeys().forEach(key -> text.append("  ").append(key.id()).append("  added ").append(key.createdAt())
                    .append(" by ").append(key.createdBy()).append(key.current() ? "  (current: seals new objects)" : "").append('\n'));
            context.output().result(result, text.toString());
            return 0;
        }
    }
}
