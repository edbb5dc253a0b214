package dev.cellar.lifecycle.portability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An export folder never mixes with other files, is never overwritten, and is readable by its owner only. */
class ExportFolderTest {
    @TempDir
    Path temp;

    @Test
    void newFolderIsCreatedOwnerOnlyWithOwnerOnlyFiles() throws IOException {
        ExportFolder folder = ExportFolder.create(temp.resolve("a/b/export"));
        Path file = folder.write("export.json", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(file).hasContent("{}");
        if (Files.getFileStore(temp).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.path()))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }

    @Test
    void emptyFolderIsUsedAndAFileInItIsNeverOverwritten() throws IOException {
        Path empty = Files.createDirectory(temp.resolve("empty"));
        ExportFolder folder = ExportFolder.create(empty);
        folder.write("export.json", new byte[] {1});
        assertThatThrownBy(() -> folder.write("export.json", new byte[] {2}))
                .isInstanceOfSatisfying(CellarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TARGET_EXISTS));
        assertThat(Files.readAllBytes(empty.resolve("export.json"))).containsExactly(1);
    }

    @Test
    void nonEmptyFolderAndFileAreRefused() throws IOException {
        Path used = Files.createDirectory(temp.resolve("used"));
        Files.writeString(used.resolve("other.txt"), "x");
        assertThatThrownBy(() -> ExportFolder.checkUsable(used)).isInstanceOfSatisfying(CellarException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.TARGET_EXISTS);
            assertThat(e.getMessage()).contains("is not empty");
        });
        Path file = Files.writeString(temp.resolve("file.json"), "x");
        assertThatThrownBy(() -> ExportFolder.create(file)).isInstanceOfSatisfying(CellarException.class,
                e -> assertThat(e.getMessage()).contains("is a file"));
    }
}
