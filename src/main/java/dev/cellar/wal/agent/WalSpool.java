package dev.cellar.wal.agent;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.wal.WalFileName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The WAL agent's local folder. Its layout is a contract with the {@code ./cellar} launcher,
 * which answers {@code wal push} and {@code wal get} from it without starting a JVM:
 * <ul>
 *   <li>{@code pushed/<name>}: the agent shipped that WAL file and the repository put returned
 *       (written only after it is durable); {@code wal push} of that name may exit 0 at once;</li>
 *   <li>{@code fetched/<name>}: a whole WAL file fetched ahead during recovery (written under a
 *       dot-name and renamed, so never half a file under the final name);</li>
 *   <li>{@code agent.sock}, {@code agent.lock} (holds the pid), {@code agent.log}.</li>
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
