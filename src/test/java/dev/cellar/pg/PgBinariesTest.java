package dev.cellar.pg;

import dev.cellar.config.ConfigKey;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Locating logic, on fake PostgreSQL programs: shell scripts that print a version. */
class PgBinariesTest {

    @TempDir
    Path root;

    private final Map<String, String> env = new HashMap<>(Map.of("PATH", ""));

    @Test
    void configuredDirIsTheOnlyPlaceSearched() throws IOException {
        Path configured = Files.createDirectories(root.resolve("configured"));
        Path onPath = binDir("onpath", "15.4", "pg_dump", "pg_restore");
        fake(configured, "pg_dump", "16.2");
        env.put("PATH", onPath.toString());

        PgBinaries bins = PgBinaries.locate(configured, search());

        assertThat(bins.path("pg_dump")).isEqualTo(configured.resolve("pg_dump").toRealPath());
        assertThatThrownBy(() -> bins.path("pg_restore"))
                .isInstanceOf(CellarException.class)
                .hasMessageContaining("pg_restore")
                .hasMessageContaining(configured.toString())
                .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.BINARY_MISSING));
    }

    @Test
    void pgConfigBinDirComesBeforeOtherPathEntries() throws IOException {
        Path reported = binDir("reported", "17.0", "pg_dump");
        Path onPath = binDir("onpath", "15.4", "pg_dump");
        script(onPath.resolve("pg_config"), "echo " + reported);
        env.put("PATH", onPath.toString());

        assertThat(PgBinaries.locate(null, search()).path("pg_dump"))
                .isEqualTo(reported.resolve("pg_dump").toRealPath());
    }

    @Test
    void skipsDebianWrapperForRealBinaryInVersionedDir() throws IOException {
        Path common = Files.createDirectories(root.resolve("share/postgresql-common"));
        fake(common, "pg_wrapper", "14.9");
        Path usrBin = Files.createDirectories(root.resolve("bin"));
        Files.createSymbolicLink(usrBin.resolve("pg_dump"), common.resolve("pg_wrapper"));
        Path versioned = binDir("lib/postgresql/15/bin", "15.18", "pg_dump");
        env.put("PATH", usrBin.toString());

        PgBinaries bins = PgBinaries.locate(null, search());

        assertThat(bins.path("pg_dump")).isEqualTo(versioned.resolve("pg_dump").toRealPath());
    }

    @Test
    void resolvesSymlinksOnPathToTheRealProgram() throws IOException {
        Path versioned = binDir("lib/postgresql/15/bin", "15.18", "initdb");
        Path localBin = Files.createDirectories(root.resolve("local/bin"));
        Files.createSymbolicLink(localBin.resolve("initdb"), versioned.resolve("initdb"));
        env.put("PATH", localBin.toString());

        assertThat(PgBinaries.locate(null, search()).path("initdb")).isEqualTo(versioned.resolve("initdb").toRealPath());
    }

    @Test
    void versionedDirsAreSearchedHighestFirst() throws IOException {
        binDir("lib/postgresql/9/bin", "9.6.24", "pg_dump");
        binDir("lib/postgresql/16/bin", "16.3", "pg_dump");
        binDir("lib/postgresql/15/bin", "15.18", "pg_dump");
        binDir("pgsql-14/bin", "14.12", "pg_dump");

        assertThat(PgBinaries.locate(null, search()).version("pg_dump")).isEqualTo(new PgVersion(16, 3));
    }

    @Test
    void missingProgramNamesWhereItLooked() throws IOException {
        Path versioned = binDir("lib/postgresql/15/bin", "15.18", "psql");

        assertThatThrownBy(() -> PgBinaries.locate(null, search()).path("pg_restore"))
                .isInstanceOf(CellarException.class)
                .hasMessageContaining("pg_restore not found")
                .hasMessageContaining(versioned.toString())
                .satisfies(e -> assertThat(((CellarException) e).hint())
                        .contains(ConfigKey.POSTGRES_BIN_DIR.dotted()).contains(ConfigKey.POSTGRES_BIN_DIR.env()));
    }

    @Test
    void locateForPrefersTheServersMajorOverNewerOnes() throws IOException {
        binDir("lib/postgresql/17/bin", "17.2", "pg_dump");
        binDir("lib/postgresql/15/bin", "15.18", "pg_dump");

        PgBinaries bins = PgBinaries.locateFor(null, new PgVersion(15, 3), search());

        assertThat(bins.version("pg_dump")).isEqualTo(new PgVersion(15, 18));
    }

    @Test
    void aVersionTheSearchAlreadyAskedIsNotAskedAgain() throws IOException {
        Path dir = Files.createDirectories(root.resolve("lib/postgresql/15/bin"));
        Path asked = root.resolve("asked");
        script(dir.resolve("pg_dump"), "echo x >> '" + asked + "'\necho 'pg_dump (PostgreSQL) 15.18'");
        fake(dir, "pg_restore", "15.18");

        PgBinaries bins = PgBinaries.locateFor(null, new PgVersion(15, 3), search());

        assertThat(bins.version("pg_dump")).isEqualTo(new PgVersion(15, 18));
        assertThat(bins.version("pg_restore")).isEqualTo(new PgVersion(15, 18));
        assertThat(Files.readAllLines(asked)).as("pg_dump --version runs").hasSize(1);
    }

    @Test
    void locateForFallsBackToNewestAtLeastAsNewAsServer() throws IOException {
        binDir("lib/postgresql/13/bin", "13.9", "pg_dump");
        binDir("lib/postgresql/16/bin", "16.1", "pg_dump");
        binDir("lib/postgresql/17/bin", "17.2", "pg_dump");
        Path onPath = binDir("onpath", "13.9", "pg_dump");
        env.put("PATH", onPath.toString());

        PgBinaries bins = PgBinaries.locateFor(null, new PgVersion(15, 3), search());

        assertThat(bins.version("pg_dump")).isEqualTo(new PgVersion(17, 2));
    }

    @Test
    void requireAtLeastRejectsOlderMajorThanServer() throws IOException {
        binDir("lib/postgresql/14/bin", "14.10", "pg_dump");
        PgBinaries bins = PgBinaries.locate(null, search());

        assertThatThrownBy(() -> bins.requireAtLeast("pg_dump", new PgVersion(15, 18)))
                .isInstanceOf(CellarException.class)
                .hasMessageContaining("pg_dump 14.10")
                .hasMessageContaining("older than the server 15.18")
                .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.BINARY_MISSING))
                .satisfies(e -> assertThat(((CellarException) e).hint()).contains("postgresql-client-15"));
    }

    @Test
    void requireAtLeastAcceptsSameMajorWithOlderMinorAndNewerMajor() throws IOException {
        binDir("lib/postgresql/15/bin", "15.2", "pg_dump");
        PgBinaries bins = PgBinaries.locate(null, search());

        bins.requireAtLeast("pg_dump", new PgVersion(15, 18));
        bins.requireAtLeast("pg_dump", new PgVersion(14, 1));
    }

    @Test
    void aServerOfTheDataDirectorysMajorIsFoundAndAnotherMajorIsRefusedNamingTheOneNeeded() throws IOException {
        Path fifteen = binDir("15", "15.18", "pg_ctl", "pg_dump");
        Path thirteenServerOnly = binDir("13", "13.23", "pg_ctl", "postgres");
        env.put("PATH", fifteen + ":" + thirteenServerOnly);

        PgBinaries forThirteen = PgBinaries.locateFor(null, new PgVersion(13, 0), search());
        forThirteen.requireMajor("pg_ctl", new PgVersion(13, 0), "start the restored backup B");
        // programs the server folder lacks come from the next folder
        assertThat(forThirteen.version("pg_dump")).isEqualTo(new PgVersion(15, 18));

        PgBinaries onlyFifteen = PgBinaries.locate(fifteen, search());
        assertThatThrownBy(() -> onlyFifteen.requireMajor("pg_ctl", new PgVersion(14, 0), "start the restored backup B"))
                .isInstanceOf(CellarException.class)
                .hasMessageContaining("pg_ctl 15.18")
                .hasMessageContaining("cannot start the restored backup B")
                .hasMessageContaining("PostgreSQL 14")
                .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.BINARY_MISSING))
                .satisfies(e -> assertThat(((CellarException) e).hint()).contains("postgresql-14").contains("/usr/lib/postgresql/14/bin"));
    }

    private BinDirSearch search() {
        return new BinDirSearch(env, List.of(
                new BinDirSearch.VersionedLayout(root.resolve("lib/postgresql"), Pattern.compile("(\\d+)")),
                new BinDirSearch.VersionedLayout(root, Pattern.compile("pgsql-(\\d+)"))));
    }

    private Path binDir(String relative, String version, String... programs) throws IOException {
        Path dir = Files.createDirectories(root.resolve(relative));
        for (String program : programs) {
            fake(dir, program, version);
        }
        return dir;
    }

    private static void fake(Path dir, String program, String version) throws IOException {
        script(dir.resolve(program), "echo '" + program + " (PostgreSQL) " + version + "'");
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static ErrorCode code(Throwable e) {
        return ((CellarException) e).code();
    }
}
