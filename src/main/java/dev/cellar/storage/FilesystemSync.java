package dev.cellar.storage;

import dev.cellar.pg.ProcessResult;
import dev.cellar.pg.ProcessRunner;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Makes many freshly written files durable at once (a restored data directory, a backup's new
 * chunks). One {@code syncfs} per filesystem ({@code sync -f},
 * as {@code initdb --sync-method=syncfs} does) costs a fraction of an fsync per file, which on
 * this kind of disk is a journal commit each (measured: 3.6 s of fsync for 1,300 files, 79 MB);
 * where {@code sync -f} is missing or fails, every file and folder is fsync'd one by one.
 */
public final class FilesystemSync {
    private FilesystemSync() {
    }

    public static void sync(Collection<Path> roots, Collection<Path> files, Collection<Path> folders) {
        if (syncFilesystems(roots)) {
            return;
        }
        files.parallelStream().forEach(f -> force(f, false));
        folders.forEach(d -> force(d, true));
    }

    private static boolean syncFilesystems(Collection<Path> roots) {
        for (Path root : roots) {
            ProcessResult result;
            try {
                result = ProcessRunner.run(List.of("sync", "-f", root.toString()), Map.of(), null);
            } catch (RuntimeException e) {
                return false;
            }
            if (!result.succeeded()) {
                return false;
            }
        }
        return true;
    }

    private static void force(Path path, boolean folder) {
        if (Files.isSymbolicLink(path)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(!folder);
        } catch (IOException e) {
            if (!folder) {
                throw new java.io.UncheckedIOException("cannot fsync " + path, e);
            }
            // some filesystems cannot open folders; their entries are durable by other means
        }
    }
}
