package dev.cellar.backup;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Makes sure the folder Cellar is about to copy is the data directory of the server it talks
 * to: the system identifier in {@code global/pg_control} (its first eight bytes, in the host's
 * little-endian order) must equal the one the server reports. Copying another cluster's files
 * under this server's WAL would make a backup that can never be restored.
 */
public final class DataDirectoryCheck {
    private DataDirectoryCheck() {
    }

    /** The data directory to copy: the one given, else the one the server names; checked. */
    public static Path resolve(Path configured, ServerFacts server) {
        Path dataDir = (configured != null ? configured : server.dataDirectory()).toAbsolutePath().normalize();
        long found = systemIdentifierOf(dataDir);
        if (found != server.systemIdentifier()) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, dataDir + " is the data directory of another cluster (system identifier "
                    + Long.toUnsignedString(found) + ", the server reports " + Long.toUnsignedString(server.systemIdentifier()) + ")",
                    "point --data-dir / postgres.data-dir at this server's data directory (SHOW data_directory says "
                            + server.dataDirectory() + "), or connect to the server that owns " + dataDir);
        }
        return dataDir;
    }

    static long systemIdentifierOf(Path dataDir) {
        Path control = dataDir.resolve("global").resolve("pg_control");
        byte[] head;
        try (InputStream in = Files.newInputStream(control)) {
            head = in.readNBytes(8);
        } catch (NoSuchFileException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, dataDir + " is not a PostgreSQL data directory (no global/pg_control)",
                    "point --data-dir / postgres.data-dir at the server's data directory (SHOW data_directory)");
        } catch (AccessDeniedException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "cannot read " + control + ": permission denied",
                    "run cellar as the operating-system user that owns the data directory (usually postgres)");
        } catch (IOException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "cannot read " + control + ": " + e.getMessage(),
                    "check the data directory path and its permissions");
        }
        if (head.length < 8) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, control + " is truncated", "check the data directory path");
        }
        long id = 0;
        for (int i = 7; i >= 0; i--) {
            id = id << 8 | (head[i] & 0xFF);
        }
        return id;
    }
}
