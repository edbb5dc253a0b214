package dev.cellar.pg;

import dev.cellar.config.ConfigKey;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Finds the PostgreSQL programs (pg_dump, pg_restore, initdb, ...) Cellar runs, and their
 * versions. pg_dump must be at least as new as the server it dumps, and a machine often holds
 * several versions, so the choice of folder matters; symlinks are resolved, and Debian's
 * {@code pg_wrapper} (which picks a version on its own) is skipped in favour of real binaries.
 */
public final class PgBinaries {

    /** How hints name the setting that picks the folder: its key and its variable. */
    private static final String BIN_DIR_SETTING = ConfigKey.POSTGRES_BIN_DIR.withEnv();

    /** Programs whose {@code --version} tells the version of a whole bin folder. */
    private static final List<String> VERSION_PROBES = List.of("pg_dump", "postgres", "pg_ctl", "psql", "initdb");

    private final List<Path> searchDirs;
    private final boolean configured;
    private final Map<String, Path> paths = new ConcurrentHashMap<>();
    private final Map<String, PgVersion> versions = new ConcurrentHashMap<>();
    /** What the search already asked, by real program path: each question is a process start. */
    private final Map<Path, PgVersion> probed;

    private PgBinaries(List<Path> searchDirs, boolean configured) {
        this(searchDirs, configured, Map.of());
    }

    private PgBinaries(List<Path> searchDirs, boolean configured, Map<Path, PgVersion> probed) {
        this.searchDirs = List.copyOf(searchDirs);
        this.configured = configured;
        this.probed = Map.copyOf(probed);
    }

    /**
     * @param configuredBinDir the configured folder ({@code postgres.bin-dir}, from the file or
     *                         {@code CELLAR_POSTGRES_BIN_DIR}), searched alone; null to search
     *                         {@code pg_config --bindir}, the PATH and the usual per-version install folders
     */
    public static PgBinaries locate(Path configuredBinDir) {
        return locate(configuredBinDir, BinDirSearch.system());
    }

    /**
     * Like {@link #locate}, but when nothing is configured, prefers the folder whose programs have
     * the server's major version, then the newest folder that is at least as new as the server.
     */
    public static PgBinaries locateFor(Path configuredBinDir, PgVersion server) {
        return locateFor(configuredBinDir, server, BinDirSearch.system());
    }

    /**
     * {@code firstDir} searched before the usual places: a folder holding only some programs (a
     * server without client tools, say) borrows the rest from the other installs.
     */
    public static PgBinaries searchingFirst(Path firstDir) {
        List<Path> dirs = new ArrayList<>(List.of(firstDir));
        BinDirSearch.system().candidateDirs().stream().filter(dir -> !dir.equals(firstDir)).forEach(dirs::add);
        return new PgBinaries(dirs, false);
    }

    static PgBinaries locate(Path configuredBinDir, BinDirSearch search) {
        if (configuredBinDir != null) {
            return new PgBinaries(List.of(configuredBinDir), true);
        }
        return new PgBinaries(search.candidateDirs(), false);
    }

    static PgBinaries locateFor(Path configuredBinDir, PgVersion server, BinDirSearch search) {
        if (configuredBinDir != null) {
            return locate(configuredBinDir, search);
        }
        List<Path> dirs = new ArrayList<>(search.candidateDirs());
        Map<Path, PgVersion> probed = new java.util.HashMap<>();
        Map<Path, PgVersion> dirVersions = dirVersions(dirs, probed);
        Comparator<Path> byVersion = Comparator.comparing(dirVersions::get);
        Optional<Path> preferred = dirVersions.keySet().stream()
                .filter(dir -> dirVersions.get(dir).major() == server.major())
                .max(byVersion)
                .or(() -> dirVersions.keySet().stream()
                        .filter(dir -> dirVersions.get(dir).series().compareTo(server.series()) >= 0)
                        .max(byVersion));
        preferred.ifPresent(dir -> {
            dirs.remove(dir);
            dirs.add(0, dir);
        });
        return new PgBinaries(dirs, false, probed);
    }

    /** The real path of {@code program}, e.g. "pg_dump". */
    public Path path(String program) {
        return paths.computeIfAbsent(program, p -> searchDirs.stream()
                .flatMap(dir -> findIn(dir, p).stream())
                .findFirst()
                .orElseThrow(() -> missing(p)));
    }

    /** The version {@code program --version} reports; asked once, and not again when the search asked it. */
    public PgVersion version(String program) {
        return versions.computeIfAbsent(program, p -> {
            Path real = path(p);
            PgVersion known = probed.get(real);
            return known != null ? known
                    : PgVersion.parse(ProcessRunner.requireSuccess(List.of(real.toString(), "--version"), Map.of(), null).stdout());
        });
    }

    /** Fails when {@code program} belongs to an older release series than the server. */
    public void requireAtLeast(String program, PgVersion server) {
        PgVersion own = version(program);
        if (own.series().compareTo(server.series()) < 0) {
            throw new CellarException(ErrorCode.BINARY_MISSING,
                    program + " " + own + " (" + path(program) + ") is older than the server " + server
                            + "; " + program + " must be at least as new as the server",
                    "install the PostgreSQL " + server.series().major() + " client programs (e.g. postgresql-client-"
                            + server.series().major() + ") or newer, and point " + BIN_DIR_SETTING + " at their bin folder");
        }
    }

    /**
     * Fails unless {@code program} (postgres, pg_ctl) has the major version of a data directory
     * it must run: a server starts only a data directory of its own major.
     */
    public void requireMajor(String program, PgVersion dataDirectory, String what) {
        PgVersion own;
        try {
            own = version(program);
        } catch (CellarException notFound) {
            throw new CellarException(ErrorCode.BINARY_MISSING, program + " of PostgreSQL " + dataDirectory.major() + " not found to "
                    + what + ": " + notFound.getMessage(), serverHint(dataDirectory));
        }
        if (own.major() != dataDirectory.major()) {
            throw new CellarException(ErrorCode.BINARY_MISSING, program + " " + own + " (" + path(program) + ") cannot " + what
                    + ": the data directory is PostgreSQL " + dataDirectory.major() + ", and a server runs only a data directory of"
                    + " its own major version", serverHint(dataDirectory));
        }
    }

    private String serverHint(PgVersion dataDirectory) {
        int major = dataDirectory.major();
        return "install the PostgreSQL " + major + " server (e.g. postgresql-" + major + "), and point " + BIN_DIR_SETTING
                + " at its bin folder (e.g. /usr/lib/postgresql/" + major + "/bin)";
    }

    private CellarException missing(String program) {
        String where = searchDirs.stream().map(Path::toString).collect(Collectors.joining(", "));
        if (configured) {
            return new CellarException(ErrorCode.BINARY_MISSING,
                    program + " not found in the configured bin folder " + where,
                    "install the PostgreSQL client programs there, or fix " + BIN_DIR_SETTING);
        }
        return new CellarException(ErrorCode.BINARY_MISSING,
                program + " not found; looked in " + (where.isEmpty() ? "no folder" : where),
                "install the PostgreSQL client programs (e.g. postgresql-client-NN for the server's"
                        + " version NN), or set " + BIN_DIR_SETTING);
    }

    /**
     * The version of each folder that holds PostgreSQL programs. Folders often hold symlinks to
     * the same binaries (/usr/local/bin to /usr/lib/postgresql/N/bin), so each real program is
     * asked once, and the questions run in parallel: each costs a process start.
     */
    private static Map<Path, PgVersion> dirVersions(List<Path> dirs, Map<Path, PgVersion> probed) {
        Map<Path, Path> probeByDir = new java.util.LinkedHashMap<>();
        for (Path dir : dirs) {
            VERSION_PROBES.stream().flatMap(program -> findIn(dir, program).stream()).findFirst()
                    .ifPresent(probe -> probeByDir.put(dir, probe));
        }
        Map<Path, Optional<PgVersion>> versionByProbe = new java.util.concurrent.ConcurrentHashMap<>();
        probeByDir.values().stream().distinct().toList().parallelStream()
                .forEach(probe -> versionByProbe.put(probe, probeVersion(probe)));
        versionByProbe.forEach((probe, version) -> version.ifPresent(v -> probed.put(probe, v)));
        Map<Path, PgVersion> versions = new java.util.HashMap<>();
        probeByDir.forEach((dir, probe) -> versionByProbe.get(probe).ifPresent(v -> versions.put(dir, v)));
        return versions;
    }

    private static Optional<PgVersion> probeVersion(Path program) {
        ProcessResult result = ProcessRunner.run(List.of(program.toString(), "--version"), Map.of(), null);
        return result.succeeded() && result.stdout().contains("PostgreSQL") ? Optional.of(PgVersion.parse(result.stdout())) : Optional.empty();
    }

    /** The real executable behind {@code dir/program}, unless it is missing or a version wrapper. */
    private static Optional<Path> findIn(Path dir, String program) {
        Path candidate = dir.resolve(program);
        if (!Files.isRegularFile(candidate) || !Files.isExecutable(candidate)) {
            return Optional.empty();
        }
        try {
            Path real = candidate.toRealPath();
            return isVersionWrapper(real) ? Optional.empty() : Optional.of(real);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Debian's pg_wrapper: every client program is a symlink to it, and it picks a version itself. */
    private static boolean isVersionWrapper(Path real) {
        Path parent = real.getParent();
        return real.getFileName().toString().equals("pg_wrapper")
                || (parent != null && parent.getFileName() != null
                && parent.getFileName().toString().equals("postgresql-common"));
    }
}
