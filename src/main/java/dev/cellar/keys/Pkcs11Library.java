package dev.cellar.keys;

import dev.cellar.config.ConfigKey;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the PKCS#11 module lives when {@code repository.pkcs11.library} names none: SoftHSM2's,
 * under the library folders distributions use, including Debian's multiarch ones
 * ({@code /usr/lib/x86_64-linux-gnu/softhsm}), whose name depends on the machine.
 */
final class Pkcs11Library {
    static final String SOFTHSM = "libsofthsm2.so";
    private static final List<Path> LIBRARY_ROOTS = List.of(Path.of("/usr/lib"), Path.of("/usr/lib64"), Path.of("/usr/local/lib"));

    private Pkcs11Library() {
    }

    /** The configured module, or SoftHSM2's found under the usual folders. */
    static Path resolve(Path configured) {
        if (configured != null) {
            if (!Files.isRegularFile(configured)) {
                throw new CellarException(ErrorCode.HSM_KEY_MISSING, ConfigKey.REPOSITORY_PKCS11_LIBRARY.dotted() + " " + configured
                        + " does not exist", "name the PKCS#11 module of your HSM (for SoftHSM2, install the softhsm2 package)");
            }
            return configured;
        }
        return find(LIBRARY_ROOTS).orElseThrow(() -> new CellarException(ErrorCode.HSM_KEY_MISSING,
                "no PKCS#11 module configured and no " + SOFTHSM + " found under " + LIBRARY_ROOTS,
                "set " + ConfigKey.REPOSITORY_PKCS11_LIBRARY.dotted() + " to your HSM's PKCS#11 module"));
    }

    /** The first SoftHSM2 module under {@code roots}: {@code softhsm/} of each root, then of its subfolders (multiarch), then the root. */
    static Optional<Path> find(List<Path> roots) {
        for (Path root : roots) {
            for (Path folder : folders(root)) {
                for (Path candidate : List.of(folder.resolve("softhsm").resolve(SOFTHSM), folder.resolve(SOFTHSM))) {
                    if (Files.isRegularFile(candidate)) {
                        return Optional.of(candidate);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static List<Path> folders(Path root) {
        List<Path> folders = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return folders;
        }
        folders.add(root);
        try (Stream<Path> children = Files.list(root)) {
            // multiarch folders are named for the machine and ABI: x86_64-linux-gnu, aarch64-linux-gnu
            children.filter(child -> child.getFileName().toString().contains("-linux-")).sorted().forEach(folders::add);
        } catch (IOException unreadable) {
            // an unreadable folder holds nothing for us
        }
        return folders;
    }
}
