package dev.cellar.wal.agent;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.wal.WalFileName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The WAL agent's local folder. Its layout is a contract with the {@code ./cellar} launcher,
 * which answers {@code wal push} and {@code wal get} from it without starting a JVM:
 * <ul>
 *   <li>{@code pushed/<name>}: the agent shipped that WAL file and the repository put returned
 *       (written only after it is durable); {@code wal push} of that name may exit 0 at once;</li>
 *   <li>{@code fetched/<name>}: a whole WAL file fetched ahead during recovery (written under a
 *       dot-name and renamed, so never half a file under the final name);</li>
 *   <li>{@code agent.sock}, {@code agent.lock} (holds the pid), {@code agent.log};</li>
 *   <li>{@code recovery.lease} in the spool of a restore: see {@link RecoveryLease}.</li>
 * </ul>
 */
public final class WalSpool {
    private final Path root;

    public WalSpool(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Creates the folder and its subfolders, readable by their owner only. */
    public WalSpool create() {
        try {
            for (Path dir : new Path[] {root, pushedDir(), fetchedDir()}) {
                if (!Files.isDirectory(dir)) {
                    Files.createDirectories(dir);
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                }
            }
            if (!Files.isWritable(root)) {
                throw new IOException("not writable by this user");
            }
            return this;
        } catch (IOException | UnsupportedOperationException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "cannot use WAL spool folder " + root + ": " + e.getMessage(),
                    "set wal.spool-path (or --spool) to a folder the user running PostgreSQL owns");
        }
    }

    /**
     * Removes the folder with everything in it. It is first renamed to a hidden name beside it,
     * so nothing finds half a spool under the real name, and nothing that still writes by path
     * (a fetch under way) can bring a file back into it. Returns whether nothing is left.
     */
    public boolean delete() {
        if (!Files.exists(root)) {
            return true;
        }
        Path doomed = root.resolveSibling("." + root.getFileName() + ".deleting-" + ProcessHandle.current().pid());
        try {
            Files.move(root, doomed, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            doomed = root;
        }
        return deleteTree(doomed);
    }

    /** Deletes a folder tree; false when something could not be removed. */
    public static boolean deleteTree(Path folder) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try (Stream<Path> paths = Files.walk(folder)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
                return true;
            } catch (java.nio.file.NoSuchFileException gone) {
                return !Files.exists(folder);
            } catch (IOException | java.io.UncheckedIOException e) {
                // a file appeared while walking (a fetch finishing): walk again
            }
        }
        return !Files.exists(folder);
    }

    public Path root() {
        return root;
    }

    public Path pushedDir() {
        return root.resolve("pushed");
    }

    public Path fetchedDir() {
        return root.resolve("fetched");
    }

    public Path socket() {
        return root.resolve("agent.sock");
    }

    public Path lockFile() {
        return root.resolve("agent.lock");
    }

    public Path log() {
        return root.resolve("agent.log");
    }

    public Path marker(WalFileName name) {
        return pushedDir().resolve(name.name());
    }

    public Path fetched(WalFileName name) {
        return fetchedDir().resolve(name.name());
    }

    /** Where a fetched file is written before it is renamed to {@link #fetched}; the launcher never looks at dot-names. */
    public Path fetchedTemp(WalFileName name) {
        return fetchedDir().resolve("." + name.name() + ".tmp");
    }
}
