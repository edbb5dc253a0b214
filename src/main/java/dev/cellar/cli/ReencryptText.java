package dev.cellar.cli;

import dev.cellar.app.KeyRotationService;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.ObjectReencryption;
import java.util.stream.Collectors;

/** The human text and exit code of a re-encryption, shared by {@code key rotate --reencrypt} and {@code key reencrypt}. */
final class ReencryptText {
    private static final int LISTED_AT_MOST = 20;

    private ReencryptText() {
    }

    static String of(KeyRotationService.ReencryptRun run) {
        StringBuilder text = new StringBuilder();
        boolean several = run.copies().size() + run.unreachable().size() > 1;
        for (KeyRotationService.CopyReencrypted copy : run.copies()) {
            if (several) {
                text.append("== ").append(copy.copy()).append(" (").append(copy.location()).append(")\n");
            }
            append(text, copy.result());
        }
        run.unreachable().forEach(name -> text.append("copy '").append(name).append("' could not be reached: run 'cellar key reencrypt' again\n"));
        return text.toString();
    }

    private static void append(StringBuilder text, ObjectReencryption.Result r) {
        text.append("re-encrypted ").append(r.reencrypted()).append(" of ").append(r.checked()).append(" objects (")
                .append(Output.bytes(r.bytesRewritten())).append(") with data key ").append(r.currentKeyId()).append(" in ")
                .append(r.duration().toSeconds()).append(" s; ").append(r.alreadyCurrent()).append(" were on it already\n");
        if (r.lockedObjects() > 0) {
            text.append(r.lockedObjects()).append(" objects under WORM retention keep their older key until ").append(r.lockedUntil())
                    .append(" at the latest; run 'cellar key reencrypt' again after that date\n");
            r.lockedBackups().stream().limit(LISTED_AT_MOST).forEach(b -> text.append("  backup ").append(b.key())
                    .append(" locked until ").append(b.until()).append(": not yet re-encrypted\n"));
            if (r.lockedBackups().size() > LISTED_AT_MOST) {
                text.append("  and ").append(r.lockedBackups().size() - LISTED_AT_MOST).append(" more backups (--json lists all)\n");
            }
        }
        if (!r.damaged().isEmpty()) {
            text.append(r.damaged().size()).append(" objects did not authenticate and were left as they are: ")
                    .append(r.damaged().stream().limit(LISTED_AT_MOST).collect(Collectors.joining(", ")))
                    .append("\n  run 'cellar verify --all' (and 'cellar verify --repair' with a copy)\n");
        }
        if (r.partialsSkipped() > 0) {
            text.append(r.partialsSkipped()).append(" growing WAL .partial objects left to 'cellar wal stream', which replaces them\n");
        }
        if (r.olderKeyObjects().isEmpty()) {
            text.append("every object is sealed with data key ").append(r.currentKeyId()).append('\n');
        } else {
            text.append("still on older keys: ").append(r.olderKeyObjects().entrySet().stream()
                    .map(e -> "data key " + e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "))).append('\n');
        }
    }

    static int exitCode(KeyRotationService.ReencryptRun run) {
        if (run.copies().stream().anyMatch(c -> !c.result().damaged().isEmpty())) {
            return ErrorCode.INTEGRITY.exitCode();
        }
        return run.unreachable().isEmpty() ? 0 : ErrorCode.PARTIAL.exitCode();
    }
}
