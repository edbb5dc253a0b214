package dev.cellar.server.monitor;

import dev.cellar.server.alert.StorageUsage;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures the folder copies of the repository: the file system's size and free space each round
 * (a {@code statvfs}, cheap), and the bytes under the repository's folder at most every
 * {@link #WALK_EVERY} (a walk over every chunk file, not cheap). Keeps each copy's used-space
 * readings in memory for the days-until-full projection: a restart starts the projection afresh,
 * which only delays that alert by {@link #SAMPLE_EVERY} times two.
 */
final class StorageProbe {
    static final Duration SAMPLE_EVERY = Duration.ofMinutes(5);
    static final Duration KEEP_SAMPLES = Duration.ofDays(7);
    static final Duration WALK_EVERY = Duration.ofMinutes(10);

    private final Map<String, Deque<StorageUsage.Sample>> samples = new HashMap<>();
    private final Map<String, Measured> folderSizes = new HashMap<>();

    private record Measured(Instant at, long bytes) {
    }

    /** @throws IOException when the folder's file system cannot be read (missing folder, unmounted disk) */
    synchronized FolderUsage measure(String copy, Path folder, Instant now) throws IOException {
        FileStore store = Files.getFileStore(folder);
        long total = store.getTotalSpace();
        long usable = store.getUsableSpace();
        return new FolderUsage(copy, total, usable, folderBytes(copy, folder, now), record(copy, now, total - usable));
    }

    private List<StorageUsage.Sample> record(String copy, Instant now, long used) {
        Deque<StorageUsage.Sample> history = samples.computeIfAbsent(copy, c -> new ArrayDeque<>());
        if (history.isEmpty() || !now.isBefore(history.peekLast().at().plus(SAMPLE_EVERY))) {
            history.addLast(new StorageUsage.Sample(now, used));
        }
        while (!history.isEmpty() && history.peekFirst().at().isBefore(now.minus(KEEP_SAMPLES))) {
            history.removeFirst();
        }
        return new ArrayList<>(history);
    }

    private Long folderBytes(String copy, Path folder, Instant now) {
        Measured last = folderSizes.get(copy);
        if (last != null && now.isBefore(last.at().plus(WALK_EVERY))) {
            return last.bytes();
        }
        try {
            long bytes = sizeOf(folder);
            folderSizes.put(copy, new Measured(now, bytes));
            return bytes;
        } catch (IOException e) {
            return last == null ? null : last.bytes();
        }
    }

    static long sizeOf(Path folder) throws IOException {
        long[] total = {0};
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                total[0] += attributes.size();
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // a file removed by gc while walking
            }
        });
        return total[0];
    }
}
