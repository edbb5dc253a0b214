package dev.cellar.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where SoftHSM2's module is found when none is configured: a multiarch folder's name depends on the machine. */
class Pkcs11LibraryTest {
    @TempDir
    Path root;

    @Test
    void theModuleIsFoundInAMultiarchFolderOrDirectlyUnderARoot() throws Exception {
        Path usrLib = Files.createDirectories(root.resolve("usr/lib"));
        assertThat(Pkcs11Library.find(List.of(usrLib))).isEmpty();

        Path multiarch = Files.createDirectories(usrLib.resolve("aarch64-linux-gnu/softhsm")).resolve(Pkcs11Library.SOFTHSM);
        Files.writeString(multiarch, "");
        assertThat(Pkcs11Library.find(List.of(usrLib))).contains(multiarch);

        Path direct = Files.createDirectories(root.resolve("usr/lib64")).resolve(Pkcs11Library.SOFTHSM);
        Files.writeString(direct, "");
        assertThat(Pkcs11Library.find(List.of(root.resolve("usr/lib64"), usrLib))).contains(direct);
    }
}
