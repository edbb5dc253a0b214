package dev.cellar.restore;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One pg_restore run with its whole standard error written to a log file. When it fails, the
 * message quotes pg_restore's <em>first</em> error, which is the cause (the errors after it are
 * mostly its consequences, and its last lines are a count of them), and names the log file,
 * which is kept for the operator.
 */
final class PgRestoreRun {
    private static final int MAX_QUOTED_LINES = 12;
    private static final int MAX_QUOTED_CHARS = 1500;
    private static final Pattern MISSING_ROLE = Pattern.compile("role \"[^\"]*\" does not exist");

    private PgRestoreRun() {
    }

    /**
     * @param doing   what the run was for, for the message ("restoring table(s) x into database y")
     * @param outcome what a failure leaves behind, for the message ("database y is unchanged")
     * @param log     where pg_restore's stderr goes; deleted after a success, kept after a failure
     */
    static void run(Path pgRestore, List<String> args, Map<String, String> environment, Path log, String doing, String outcome) {
        List<String> command = new ArrayList<>();
        command.add(pgRestore.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(log.toFile());
        builder.environment().putAll(environment);
        int exit;
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CellarException(ErrorCode.BINARY_MISSING, "cannot start " + pgRestore + ": " + e.getMessage(),
                    "check postgres.bin-dir and that the file is executable");
        }
        try {
            exit = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
            throw new CellarException(ErrorCode.INTERRUPTED, "interrupted while " + doing + "; " + outcome);
        }
        if (exit == 0) {
            deleteQuietly(log);
            return;
        }
        String firstError = firstError(readLines(log));
        throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED,
                "pg_restore failed while " + doing + " (exit code " + exit + "); " + outcome + ". Its first error:\n" + firstError
                        + "\nIts whole output: " + log,
                hintFor(firstError));
    }

    private static String hintFor(String firstError) {
        if (MISSING_ROLE.matcher(firstError).find()) {
            return "a role the backup names is missing on this server: create it first, or retry with --no-owner"
                    + " to restore without ownership and grants";
        }
        if (firstError.contains("violates foreign key constraint")) {
            return "rows of another table point at rows the backup lacks (added after it): fix or delete those rows first,"
                    + " or restore into another database (--target-db) and copy the rows you need";
        }
        return "the error above is pg_restore's own; fix its cause and run the restore again";
    }

    /**
     * The first error block of pg_restore's stderr: the "error:" line, the lines that go with it
     * (DETAIL, HINT, "Command was: …") and the "from TOC entry" line before it when there is one.
     */
    static String firstError(List<String> stderr) {
        for (int i = 0; i < stderr.size(); i++) {
            if (!stderr.get(i).contains(": error: ")) {
                continue;
            }
            List<String> block = new ArrayList<>();
            if (i > 0 && stderr.get(i - 1).contains("from TOC entry")) {
                block.add(stderr.get(i - 1));
            }
            block.add(stderr.get(i));
            for (int j = i + 1; j < stderr.size() && !stderr.get(j).isBlank() && !stderr.get(j).startsWith("pg_restore:"); j++) {
                block.add(stderr.get(j));
            }
            String quoted = String.join("\n", block.subList(0, Math.min(block.size(), MAX_QUOTED_LINES)));
            return quoted.length() > MAX_QUOTED_CHARS ? quoted.substring(0, MAX_QUOTED_CHARS) + " …" : quoted;
        }
        return stderr.isEmpty() ? "(pg_restore wrote no message: it was killed, or ran out of memory)"
                : String.join("\n", stderr.subList(0, Math.min(stderr.size(), MAX_QUOTED_LINES)));
    }

    private static List<String> readLines(Path log) {
        try {
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // an empty log left behind harms nothing
        }
    }
}
