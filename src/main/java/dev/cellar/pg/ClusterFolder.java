package dev.cellar.pg;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The folder a throwaway cluster lives in, made usable by the OS user that runs the server: when
 * that user is not us, it must own the folder and reach it through every parent.
 */
final class ClusterFolder {

    private ClusterFolder() {
    }

    /** Creates {@code parent} and its socket folder, handing them to {@code osUser} (null: keep ours). */
    static void prepare(Path parent, Path socketDir, String osUser) {
        try {
            Files.createDirectories(socketDir);
            if (osUser == null) {
                return;
            }
            requireUserExists(osUser);
            Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
            requireTraversable(parent.toAbsolutePath().getParent(), osUser);
            giveTo(parent, osUser);
        } catch (IOException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID,
                    "cannot prepare the cluster folder " + parent + ": " + e.getMessage(),
                    "check that the folder is writable", e);
        }
    }

    /** Deletes {@code dir} and everything in it, ignoring what cannot be deleted. */
    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // best effort: a leftover temp file must not fail a test run
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort, as above
        }
    }

    private static void requireUserExists(String osUser) {
        if (!ProcessRunner.run(List.of("id", "-u", osUser), Map.of(), null).succeeded()) {
            throw new CellarException(ErrorCode.CONFIG_INVALID,
                    "PostgreSQL refuses to run as root, and the unprivileged OS user '" + osUser + "' does not exist",
                    "create it, e.g. 'useradd --system --create-home " + osUser + "', or run as a non-root user");
        }
    }

    private static void requireTraversable(Path dir, String osUser) throws IOException {
        for (Path d = dir; d != null; d = d.getParent()) {
            if (!Files.getPosixFilePermissions(d).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new CellarException(ErrorCode.CONFIG_INVALID,
                        "the OS user '" + osUser + "' cannot reach the cluster folder through " + d,
                        "put the cluster under a folder every user can traverse, such as the system temp folder");
            }
        }
    }

    private static void giveTo(Path dir, String osUser) throws IOException {
        UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = lookup.lookupPrincipalByName(osUser);
        GroupPrincipal group;
        try {
            group = lookup.lookupPrincipalByGroupName(osUser);
        } catch (UserPrincipalNotFoundException e) {
            group = null;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.toList()) {
                PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
                view.setOwner(user);
                if (group != null) {
                    view.setGroup(group);
                }
            }
        }
    }
}
