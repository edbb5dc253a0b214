package dev.cellar.cli;

import dev.cellar.demo.DemoReport;
import dev.cellar.demo.DemoRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", description = {"Show Cellar end to end on a throwaway cluster: load the restaurant_ordering sample, back it up, change 2%% of the rows and back up again (deduplicated), drop the payments table, restore it, and verify.",
                "Needs PostgreSQL server binaries (initdb, pg_ctl) and pg_dump/pg_restore. Exit 0 only if the "
                        + "data came back identical and every check passed."})
final class DemoCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Option(names = "--dir", paramLabel = "DIR", description = "Work in this folder and keep it (default: a temporary folder, removed at the end).")
    Path dir;

    @Option(names = "--scale", paramLabel = "N", defaultValue = "5", description = "Sample size; 1 is about 10 MB (default: ${DEFAULT-VALUE}).")
    int scale;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "2", description = "Worker threads (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() throws IOException, java.sql.SQLException {
        Path workDir = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("cellar-demo-");
        // the cluster runs as an unprivileged user when we are root: it must be able to traverse (not list) this folder
        Files.setPosixFilePermissions(workDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        DemoReport report;
        try {
            report = new DemoRunner(workDir, scale, jobs, json ? line -> { } : System.out::println).run();
        } finally {
            if (dir == null) {
                deleteTree(workDir);
            }
        }
        new Output(System.out, json).result(report, "\ncellar status -d " + report.status().rows().stream().map(r -> r.database()).findFirst().orElse("?")
                + "\n" + StatusCommand.render(report.status()) + "\n\n" + (report.ok()
                ? "DEMO PASSED: every table restored identical, repository verified, restore test passed, status OK"
                : "DEMO FAILED: see the lines above"));
        return report.ok() ? 0 : dev.cellar.error.ErrorCode.VERIFY_FAILED.exitCode();
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a leftover temp folder is harmless
        }
    }
}
