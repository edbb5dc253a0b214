package dev.cellar.restore;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Makes sure a physical restore writes into an empty data directory: a missing one is created
 * later by the file restore, a non-empty one is refused unless the operator said {@code --force},
 * and one with a live server in it is refused always.
 */
final class EmptyDataDirectory {
    private EmptyDataDirectory() {
    }

    static void prepare(Path dataDir, boolean force) {
        if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
            throw new CellarException(ErrorCode.TARGET_EXISTS, dataDir + " exists and is not a directory", "choose another --data-dir");
        }
        if (!Files.isDirectory(dataDir) || isEmpty(dataDir)) {
            return;
        }
        Long pid = runningPostmaster(dataDir);
        if (pid != null) {
            throw new CellarException(ErrorCode.TARGET_EXISTS, "a PostgreSQL server (pid " + pid + ") is running in " + dataDir,
                    "stop it first (pg_ctl -D " + dataDir + " stop); Cellar never restores over a running server");
        }
        if (!force) {
            throw new CellarException(ErrorCode.TARGET_EXISTS, dataDir + " is not empty",
                    "restore into an empty or new folder, or add --force to delete everything in it first");
        }
        deleteContents(dataDir);
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new CellarException(ErrorCode.TARGET_EXISTS, "cannot read " + dir + ": " + e.getMessage(), "check its permissions");
        }
    }

    /** The pid in postmaster.pid if that process is alive. */
    private static Long runningPostmaster(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile);
            long pid = Long.parseLong(lines.get(0).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(h -> pid).orElse(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void deleteContents(Path dataDir) {
        try (Stream<Path> paths = Files.walk(dataDir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(dataDir)) {
                    Files.delete(path);
                }
            }
        } catch (IOException e) {
            throw new CellarException(ErrorCode.TARGET_EXISTS, "cannot empty " + dataDir + ": " + e.getMessage(),
                    "empty it by hand, or check its permissions");
        }
    }
}
