package dev.cellar.restore;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.error.Futures;
import dev.cellar.repo.BackupManifest;
import dev.cellar.pipeline.Crc32cText;
import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.PhysicalInfo;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.storage.FilesystemSync;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * Writes a physical backup's files into an empty data directory: folders with their modes,
 * tablespaces at their locations (or where the caller remaps them) behind {@code pg_tblspc}
 * links, every file checked against its CRC-32C, the {@code backup_label} and
 * {@code tablespace_map} that make PostgreSQL recover from the backup's checkpoint, and a
 * {@code backup_manifest} for {@code pg_verifybackup}. Everything is on disk (fsync'd) when it
 * returns. Fetching WAL and recovery settings are the caller's business.
 */
public final class PhysicalFileRestore {
    /** Chunks fetched ahead of the one being written, per file. */
    private static final int LOOK_AHEAD = 4;
    private static final String BACKUP_LABEL = "backup_label";
    private static final String TABLESPACE_MAP = "tablespace_map";
    private static final String BACKUP_MANIFEST = "backup_manifest";

    private final Repository repository;

    /**
     * What restoring a physical backup's files wrote.
     *
     * @param files    regular files written (labels and backup_manifest included)
     * @param bytes    bytes written
     * @param duration wall time, fsync included
     * @param syncTime of which spent making files and folders durable at the end
     */
    public record Result(String backupId, Path dataDir, long files, long bytes, Duration duration, Duration syncTime) {
        public double megabytesPerSecond() {
            return duration.isZero() ? 0 : bytes / 1e6 / (duration.toMillis() / 1000.0);
        }
    }

    public PhysicalFileRestore(Repository repository) {
        this.repository = repository;
    }

    /** Convenience for callers holding the repository elsewhere; see {@link #restore(BackupManifest, Path, Map, int, ProgressListener)}. */
    public static Result restore(Repository repository, BackupManifest manifest, Path dataDir, Map<Long, Path> tablespaceRemap,
                                                int jobs, ProgressListener progress) {
        return new PhysicalFileRestore(repository).restore(manifest, dataDir, tablespaceRemap, jobs, progress);
    }

    /**
     * @param dataDir         absent or empty (the caller checks, and decides about --force)
     * @param tablespaceRemap new locations of tablespaces by oid; others return to where they were
     */
    public Result restore(BackupManifest manifest, Path dataDir, Map<Long, Path> tablespaceRemap, int jobs,
                                         ProgressListener progress) {
        if (!manifest.isPhysical()) {
            throw new CellarException(ErrorCode.USAGE, "backup " + manifest.id() + " is a logical backup",
                    "restore it with 'cellar restore logical'");
        }
        long startNanos = System.nanoTime();
        PhysicalInfo info = manifest.physical();
        Path root = dataDir.toAbsolutePath().normalize();
        try {
            // 1. The data directory (0700, as PostgreSQL demands) and who will own what is created.
            RestoredOwner owner = RestoredOwner.forDataDirectory(root);
            Written written = new Written();
            createFolder(root, 0700, owner, written);
            // 2. Folders outside tablespaces, then the tablespace links, then folders inside them.
            List<PhysicalInfo.DirectoryEntry> folders = info.directories().stream()
                    .sorted(Comparator.comparing(PhysicalInfo.DirectoryEntry::path)).toList();
            for (PhysicalInfo.DirectoryEntry d : folders) {
                if (!insideTablespace(d.path())) {
                    createFolder(root.resolve(d.path()), d.mode(), owner, written);
                }
            }
            Map<Long, Path> locations = new java.util.HashMap<>();
            for (PhysicalInfo.TablespaceEntry t : info.tablespaces()) {
                Path location = tablespaceRemap.getOrDefault(t.oid(), Path.of(t.location())).toAbsolutePath().normalize();
                locations.put(t.oid(), location);
                linkTablespace(root, t, location, owner, written);
            }
            for (PhysicalInfo.DirectoryEntry d : folders) {
                if (insideTablespace(d.path())) {
                    createFolder(root.resolve(d.path()), d.mode(), owner, written);
                }
            }
            // 3. The files, in parallel, each verified against its CRC-32C.
            writeFiles(info, root, Math.max(1, jobs), owner, progress, written);
            // 4. The labels recovery starts from, and PostgreSQL's manifest of it all.
            List<PgBackupManifest.File> listed = new ArrayList<>();
            info.files().forEach(f -> listed.add(new PgBackupManifest.File(f.path(), f.size(), Instant.ofEpochMilli(f.mtimeMillis()), f.crc32c())));
            Instant now = repository.clock().instant();
            listed.add(writeSmallFile(root, BACKUP_LABEL, info.backupLabel().getBytes(StandardCharsets.UTF_8), now, owner, written));
            if (!info.tablespaceMap().isEmpty()) {
                byte[] map = remappedTablespaceMap(info.tablespaceMap(), locations).getBytes(StandardCharsets.UTF_8);
                listed.add(writeSmallFile(root, TABLESPACE_MAP, map, now, owner, written));
            }
            listed.sort(Comparator.comparing(PgBackupManifest.File::path));
            writeSmallFile(root, BACKUP_MANIFEST, PgBackupManifest.render(listed, info.timeline(), info.startLsn(), info.stopLsn()), now,
                    owner, written);
            // 5. All of it durable, folders included: a file is only found after a crash if its folder entry is on disk.
            long syncStart = System.nanoTime();
            List<Path> roots = new ArrayList<>(List.of(root));
            roots.addAll(locations.values());
            FilesystemSync.sync(roots, written.paths, written.folders);
            long syncNanos = System.nanoTime() - syncStart;
            return new Result(manifest.id(), root, written.files.get(), written.bytes.get(),
                    Duration.ofNanos(System.nanoTime() - startNanos), Duration.ofNanos(syncNanos));
        } catch (IOException e) {
            throw new CellarException(ErrorCode.INTERNAL, "restoring backup " + manifest.id() + " into " + root + " failed: " + e,
                    "check free space and permissions of " + root + "; the partly restored folder can be deleted", e);
        }
    }

    /** Counters and what to sync at the end, shared by the writers. */
    private static final class Written {
        final ConcurrentLinkedQueue<Path> folders = new ConcurrentLinkedQueue<>();
        final AtomicLong files = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final ConcurrentLinkedQueue<Path> paths = new ConcurrentLinkedQueue<>();
    }

    private static boolean insideTablespace(String path) {
        return path.startsWith("pg_tblspc/");
    }

    private static void linkTablespace(Path root, PhysicalInfo.TablespaceEntry t, Path location, RestoredOwner owner, Written written)
            throws IOException {
        if (Files.isDirectory(location)) {
            try (var entries = Files.list(location)) {
                if (entries.findAny().isPresent()) {
                    throw new CellarException(ErrorCode.TARGET_EXISTS, "tablespace " + t.name() + " (oid " + t.oid() + ") would be restored into "
                            + location + ", which is not empty",
                            "empty that folder, or restore the tablespace elsewhere (remap it to an empty or new folder)");
                }
            }
        } else {
            createFolder(location, 0700, owner, written);
        }
        Path link = root.resolve("pg_tblspc").resolve(Long.toString(t.oid()));
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, location);
        owner.apply(link);
        written.folders.add(location);
    }

    private static void createFolder(Path folder, int mode, RestoredOwner owner, Written written) throws IOException {
        Files.createDirectories(folder);
        Files.setPosixFilePermissions(folder, permissions(mode));
        owner.apply(folder);
        written.folders.add(folder);
    }

    private void writeFiles(PhysicalInfo info, Path root, int jobs, RestoredOwner owner, ProgressListener progress, Written written) {
        // twice as many threads as jobs: writing to the page cache and reading chunks block often,
        // and measured on 2 cores, 4 of each restored 1.6 GB 1.6 times faster than 2; a store
        // across a network wants more, or every small file waits its round trip in turn
        int threads = 2 * jobs * repository.storage().requestsPerWorker();
        ExecutorService writers = Executors.newFixedThreadPool(threads, daemon("cellar-file-writer"));
        ExecutorService fetchers = Executors.newFixedThreadPool(threads, daemon("cellar-chunk-reader"));
        try {
            long total = info.totalBytes();
            AtomicLong done = new AtomicLong();
            List<CompletableFuture<Void>> tasks = new ArrayList<>();
            // largest first, so the workers finish together
            for (PhysicalInfo.FileEntry file : info.files().stream().sorted(Comparator.comparingLong(PhysicalInfo.FileEntry::size).reversed()).toList()) {
                tasks.add(CompletableFuture.runAsync(() -> {
                    try {
                        writeFile(root, file, fetchers, owner, n -> progress.progress("restore", done.addAndGet(n), total), written);
                    } catch (IOException e) {
                        throw new CellarException(ErrorCode.INTERNAL, "cannot write " + root.resolve(file.path()) + ": " + e.getMessage(),
                                "check free space and permissions of " + root, e);
                    }
                }, writers));
            }
            tasks.forEach(Futures::join);
        } finally {
            writers.shutdownNow();
            fetchers.shutdownNow();
        }
    }

    private void writeFile(Path root, PhysicalInfo.FileEntry file, ExecutorService fetchers, RestoredOwner owner,
                           java.util.function.LongConsumer progress, Written written) throws IOException {
        Path target = root.resolve(file.path());
        CRC32C crc = new CRC32C();
        long size = 0;
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ArrayDeque<CompletableFuture<byte[]>> ahead = new ArrayDeque<>();
            Iterator<ChunkRef> chunks = file.chunks().iterator();
            while (chunks.hasNext() || !ahead.isEmpty()) {
                while (chunks.hasNext() && ahead.size() < LOOK_AHEAD) {
                    ChunkRef ref = chunks.next();
                    ahead.add(CompletableFuture.supplyAsync(() -> repository.chunks().get(ref), fetchers));
                }
                byte[] data = Futures.join(ahead.poll());
                crc.update(data);
                ByteBuffer buffer = ByteBuffer.wrap(data);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                size += data.length;
                progress.accept(data.length);
            }
        }
        String actual = Crc32cText.of(crc);
        if (size != file.size() || !actual.equals(file.crc32c())) {
            throw new CellarException(ErrorCode.INTEGRITY, "restored " + file.path() + " does not match the backup (" + size + " bytes, CRC-32C "
                    + actual + "; the manifest says " + file.size() + " bytes, " + file.crc32c() + ")",
                    "run 'cellar verify' on the backup; restore from another backup if it is damaged");
        }
        Files.setPosixFilePermissions(target, permissions(file.mode()));
        owner.apply(target);
        written.paths.add(target);
        written.files.incrementAndGet();
        written.bytes.addAndGet(size);
    }

    private static PgBackupManifest.File writeSmallFile(Path root, String name, byte[] content, Instant now, RestoredOwner owner,
                                                        Written written) throws IOException {
        Path target = root.resolve(name);
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
        Files.setPosixFilePermissions(target, permissions(0600));
        written.paths.add(target);
        owner.apply(target);
        written.files.incrementAndGet();
        written.bytes.addAndGet(content.length);
        CRC32C crc = new CRC32C();
        crc.update(content);
        return new PgBackupManifest.File(name, content.length, now, Crc32cText.of(crc));
    }

    /** tablespace_map lines are "oid path"; a remapped tablespace must point at its new place, or recovery relinks the old one. */
    static String remappedTablespaceMap(String map, Map<Long, Path> locations) {
        StringBuilder out = new StringBuilder();
        for (String line : map.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.substring(0, space).matches("[0-9]+") && locations.containsKey(Long.parseLong(line.substring(0, space)))) {
                out.append(line, 0, space).append(' ').append(locations.get(Long.parseLong(line.substring(0, space)))).append('\n');
            } else if (!line.isEmpty()) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((mode & (1 << (8 - p.ordinal()))) != 0) {
                set.add(p);
            }
        }
        return set;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
