package dev.cellar.it;

import dev.cellar.pg.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.stream.Stream;

/**
 * The operating-system user test clusters run as. When the tests run as root, PostgreSQL runs
 * as {@code postgres}, and so do its archive_command and restore_command; folders they share
 * with Cellar (repository, spool, restored data directories) must belong to that user, and
 * Cellar commands that write to such a repository must run as that user too
 * ({@link CellarCli#asServerUser()}).
 */
public final class ServerUser {
    private ServerUser() {
    }

    /** The user, or null when the tests do not run as root (then everything runs as the caller). */
    public static String name() {
        return ProcessRunner.unprivilegedUserForServer();
    }

    /** {@code runuser -u postgres --} when running as root, else nothing. */
    public static List<String> commandPrefix() {
        String user = name();
        return user == null ? List.of() : List.of("runuser", "-u", user, "--");
    }

    /** A new private temporary folder that the server user owns. */
    public static Path newFolder(String prefix) {
        try {
            Path dir = TestFolders.create(prefix);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            giveAway(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hands a file or folder tree to the server user (no-op unless running as root). */
    public static void giveAway(Path path) {
        String user = name();
        if (user == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            UserPrincipal owner = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
            for (Path p : paths.toList()) {
                Files.setOwner(p, owner);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
