package dev.cellar.cli;

import dev.cellar.app.KeyService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "remove", description = {"Remove a key slot by its id ('cellar key list'). The last slot is never removed. "
        + "Removing the slot that unlocked this command is allowed while another remains: configure that other method afterwards.",
        "On S3 with versioning or Object Lock, the removed slot's older versions stay in the bucket until they expire: "
                + "see docs/keys.md before relying on a removal to revoke a leaked passphrase."})
final class KeyRemoveCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "ID", description = "The slot's id.")
    String id;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, null)) {
            KeyService.KeyRemoveResult result = new KeyService(context.app()).remove(id);
            StringBuilder text = new StringBuilder("removed key slot " + result.removed().id() + " (" + result.removed().kind() + ")\n");
            result.remaining().forEach(slot -> text.append("  remaining: ").append(KeyCommand.line(slot)).append('\n'));
            if (result.removedUnlockingSlot()) {
                text.append("this command was unlocked by the slot removed: configure one of the remaining methods from now on");
            }
            context.output().result(result, text.toString());
            return 0;
        }
    }
}
