package dev.cellar.cli;

import dev.cellar.restore.ServerRestoreResult;
import dev.cellar.restore.ServerRestoreResult.DatabaseOutcome;

/** The human text of a whole-server restore: roles first, then one line per database. */
final class ServerRestoreText {

    private ServerRestoreText() {
    }

    static String of(ServerRestoreResult result) {
        StringBuilder text = new StringBuilder("restored run ").append(result.run()).append(": ")
                .append(result.databases().size() - result.failed().size()).append(" of ").append(result.databases().size())
                .append(" database(s)");
        if (!result.rolesCreated().isEmpty()) {
            text.append("\nroles created (").append(result.rolesCreated().size()).append("): ").append(String.join(", ", result.rolesCreated()));
        }
        if (!result.membershipsGranted().isEmpty()) {
            text.append("\nmemberships granted (role -> member): ").append(String.join(", ", result.membershipsGranted()));
        }
        for (DatabaseOutcome outcome : result.databases()) {
            text.append("\n  ").append(outcome.ok() ? "ok      " : "FAILED  ").append(outcome.database()).append("  (backup ")
                    .append(outcome.backupId()).append(")");
            if (outcome.ok()) {
                text.append(" in ").append(Output.seconds(outcome.result().duration()))
                        .append(outcome.replacedEmpty() ? ", replaced the empty database of that name" : "")
                        .append(outcome.result().replacedExisting() && !outcome.replacedEmpty() ? ", replaced the existing one" : "");
                GlobalsText.of(outcome.result().globals()).lines().filter(line -> !line.isEmpty())
                        .forEach(line -> text.append("\n      ").append(line));
            } else {
                text.append("\n      ").append(outcome.error());
            }
        }
        if (!result.notInRun().isEmpty()) {
            text.append("\nnot in this run (their backup failed): ").append(String.join(", ", result.notInRun()));
        }
        result.notes().forEach(note -> text.append("\nnote: ").append(note));
        return text.toString();
    }
}
