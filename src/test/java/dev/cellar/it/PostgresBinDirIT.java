package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.config.ConfigKey;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The variable that picks the PostgreSQL bin folder, through the real command line: the one the
 * exit-7 hint names is the one Cellar reads, and the folder it names is the only one searched.
 * The pg_dump there is an older minor release than the distribution's own of the same major, so
 * a folder Cellar merely "prefers" would lose to the distribution's and the test would see it.
 */
class PostgresBinDirIT {
    private static final Pattern VARIABLE = Pattern.compile("CELLAR_[A-Z0-9_]+");

    private static LocalCluster cluster;
    private static Path workDir;
    private static WrappedPgDump wrapped;
    private static CellarCli cli;

    @BeforeAll
    static void startClusterAndRepository() throws Exception {
        workDir = TestFolders.create("cellar-bindir-it");
        cluster = LocalCluster.start(TestFolders.create("cellar-bindir-it-pg"));
        cluster.createDatabase("Till");
        cluster.execute("Till", "CREATE SCHEMA \"FrontDesk\"; CREATE TABLE \"FrontDesk\".\"Receipts\" (\"ReceiptNo\" bigint PRIMARY KEY, "
                + "total numeric(10,2) NOT NULL, paid_at timestamptz NOT NULL DEFAULT now()); "
                + "INSERT INTO \"FrontDesk\".\"Receipts\" SELECT g, g * 1.25, now() - g * interval '1 minute' FROM generate_series(1, 500) g");
        int major = cluster.binaries().version("pg_dump").major();
        assertThat(cluster.binaries().version("pg_dump").minor()).as("the distribution's pg_dump is newer than X.0").isPositive();
        wrapped = WrappedPgDump.create(workDir, cluster, major + ".0");
        cli = new CellarCli(Map.of(
                // cron's PATH, as for a nightly backup: the distribution's own programs are found on it too
                "PATH", "/usr/bin:/bin",
                "CELLAR_PASSPHRASE", "bindir-passphrase",
                "CELLAR_REPOSITORY_PATH", workDir.resolve("repo").toString(),
                "CELLAR_DATABASE_HOST", cluster.host(),
                "CELLAR_DATABASE_PORT", Integer.toString(cluster.port()),
                "CELLAR_DATABASE_USER", cluster.superuser(),
                "CELLAR_DATABASE_NAME", "Till"));
        CellarCli.Run init = cli.run("init");
        assertThat(init.exitCode()).as(init.toString()).isZero();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theVariableTheExit7HintNamesPicksPgDump() throws Exception {
        Path oldBin = Files.createDirectories(workDir.resolve("old-bin"));
        Path old = oldBin.resolve("pg_dump");
        Files.writeString(old, "#!/bin/sh\necho 'pg_dump (PostgreSQL) 11.22'\n");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rwxr-xr-x"));
        CellarCli.Run refused = cli.with(ConfigKey.POSTGRES_BIN_DIR.env(), oldBin.toString()).run("backup", "logical");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ErrorCode.BINARY_MISSING.exitCode());
        Set<String> named = variablesInHint(refused.stderr());
        assertThat(named).as("variables the exit-7 hint names").isNotEmpty();

        for (String variable : named) {
            int before = wrapped.dumpsStarted();
            CellarCli.Run run = cli.with(variable, wrapped.folder().toString()).run("backup", "logical");
            assertThat(run.exitCode()).as(variable + ": " + run).isZero();
            assertThat(wrapped.dumpsStarted()).as("pg_dump from the folder in " + variable).isEqualTo(before + 1);
        }
    }

    @Test
    void deprecatedNameStillPicksPgDumpAndSaysSo() throws Exception {
        int before = wrapped.dumpsStarted();
        CellarCli.Run run = cli.with("CELLAR_PG_BIN_DIR", wrapped.folder().toString()).run("backup", "logical");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(wrapped.dumpsStarted()).as("pg_dump from the folder in CELLAR_PG_BIN_DIR").isEqualTo(before + 1);
        assertThat(run.stderr()).contains("warning: CELLAR_PG_BIN_DIR is a deprecated name of " + ConfigKey.POSTGRES_BIN_DIR.env());
    }

    @Test
    void folderNamedByEitherVariableIsTheOnlyOneSearched() throws Exception {
        Path empty = Files.createDirectories(workDir.resolve("empty-bin"));
        for (String variable : new String[] {ConfigKey.POSTGRES_BIN_DIR.env(), "CELLAR_PG_BIN_DIR"}) {
            CellarCli.Run run = cli.with(variable, empty.toString()).run("backup", "logical");
            assertThat(run.exitCode()).as(variable + ": " + run).isEqualTo(ErrorCode.BINARY_MISSING.exitCode());
            assertThat(run.stderr()).contains("pg_dump not found in the configured bin folder " + empty)
                    .contains(ConfigKey.POSTGRES_BIN_DIR.env());
        }
    }

    private static Set<String> variablesInHint(String stderr) {
        Set<String> variables = new LinkedHashSet<>();
        stderr.lines().filter(l -> l.startsWith("HINT:")).forEach(hint -> {
            Matcher m = VARIABLE.matcher(hint);
            while (m.find()) {
                variables.add(m.group());
            }
        });
        return variables;
    }
}
