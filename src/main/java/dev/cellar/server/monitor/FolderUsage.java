package dev.cellar.server.monitor;

import dev.cellar.server.alert.StorageUsage;
import java.util.List;
import java.util.Objects;

/**
 * One folder copy of the repository: its file system's size and free space, the bytes under the
 * repository's folder, and the file system's used bytes at earlier rounds.
 *
 * @param repositoryBytes bytes of the files under the repository's folder; null when not measured yet
 */
public record FolderUsage(String copy, long totalBytes, long usableBytes, Long repositoryBytes, List<StorageUsage.Sample> samples) {
    public FolderUsage {
        Objects.requireNonNull(copy, "copy");
        samples = List.copyOf(samples);
    }

    public long usedBytes() {
        return totalBytes - usableBytes;
    }
}
