package dev.cellar.lifecycle.portability;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The folder an export is written to. It holds one person's personal data, so it is created
 * readable by this OS user only (where the file system has POSIX permissions), and an existing
 * folder is used only when empty: an export never mixes with, or overwrites, another one.
 */
final class ExportFolder {
    private final Path folder;

    private ExportFolder(Path folder) {
        this.folder = folder;
    }

    /** Refuses a folder that holds anything; writes nothing. */
    static void checkUsable(Path folder) {
        if (Files.isRegularFile(folder)) {
            throw new CellarException(ErrorCode.TARGET_EXISTS, "--output " + folder + " is a file; an export is a folder",
                    "name a folder that does not exist yet, for example --output export-users-42/");
        }
        if (Files.isDirectory(folder)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
                if (entries.iterator().hasNext()) {
                    throw new CellarException(ErrorCode.TARGET_EXISTS, "--output " + folder + " is not empty; an export never mixes with other files",
                            "name a new or empty folder");
                }
            } catch (IOException e) {
                throw cannotWrite(folder, e);
            }
        }
    }

    static ExportFolder create(Path folder) {
        checkUsable(folder);
        try {
            if (!Files.isDirectory(folder)) {
                Files.createDirectories(folder);
            }
            ownerOnly(folder, "rwx------");
        } catch (IOException e) {
            throw cannotWrite(folder, e);
        }
        return new ExportFolder(folder);
    }

    Path path() {
        return folder;
    }

    /** Writes a new file in the folder, readable by this OS user only. */
    Path write(String name, byte[] content) {
        Path file = folder.resolve(name);
        try {
            Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            ownerOnly(file, "rw-------");
            return file;
        } catch (FileAlreadyExistsException e) {
            throw new CellarException(ErrorCode.TARGET_EXISTS, file + " appeared while the export was written", "run the export again into a new folder");
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
    }

    private static void ownerOnly(Path path, String permissions) throws IOException {
        if (Files.getFileStore(path).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        }
    }

    private static CellarException cannotWrite(Path path, IOException e) {
        return new CellarException(ErrorCode.STORAGE_FULL, "cannot write the export to " + path + ": " + e,
                "check that the folder is writable by this user and the disk has room");
    }
}
