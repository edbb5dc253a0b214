package dev.cellar.wal;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The local folder {@code pg_receivewal} writes into: {@code <wal.spool-path>/stream/<system
 * identifier>/}. One folder per cluster, so a spool path shared by two clusters never mixes
 * their WAL, and a restarted {@code pg_receivewal} resumes from the files it finds there.
 */
public final class StreamSpool {
    private final Path folder;

    private StreamSpool(Path folder) {
        this.folder = folder;
    }

    /** The spool of one cluster, created (owner-only) if missing. */
    public static StreamSpool open(Path spoolRoot, String systemIdentifier) {
        Path folder = spoolRoot.resolve("stream").resolve(systemIdentifier);
        try {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "cannot create the WAL stream spool " + folder + ": " + e.getMessage(),
                    "set wal.spool-path (or --spool) to a local folder this user may write, with room for a few WAL segments");
        }
        return new StreamSpool(folder);
    }

    /** The spool in a folder {@link #open} made before. */
    static StreamSpool at(Path folder) {
        return new StreamSpool(folder);
    }

    public Path folder() {
        return folder;
    }

    public Path path(WalFileName name) {
        return folder.resolve(name.name());
    }

    /** The WAL files in the folder, in name order; temporary files the receiver writes are left out. */
    public List<SpoolFile> list() {
        List<SpoolFile> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!WalFileName.isWalFileName(name)) {
                    continue;
                }
                try {
                    BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class);
                    if (attributes.isRegularFile()) {
                        files.add(new SpoolFile(WalFileName.parse(name), attributes.size(), attributes.lastModifiedTime().toInstant()));
                    }
                } catch (NoSuchFileException renamed) {
                    // pg_receivewal renamed a finished .partial between the listing and the stat; the next pass sees it
                }
            }
        } catch (IOException e) {
            throw new CellarException(ErrorCode.INTERNAL, "cannot list the WAL stream spool " + folder + ": " + e.getMessage(),
                    "check that the folder exists and this user may read it");
        }
        files.sort(Comparator.comparing(SpoolFile::name));
        return files;
    }

    public void delete(WalFileName name) {
        try {
            Files.deleteIfExists(path(name));
        } catch (IOException e) {
            throw new CellarException(ErrorCode.INTERNAL, "cannot delete " + path(name) + " from the WAL stream spool: " + e.getMessage(),
                    "check the spool folder's permissions");
        }
    }
}
