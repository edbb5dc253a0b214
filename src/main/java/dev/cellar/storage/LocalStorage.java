package dev.cellar.storage;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileLock;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A repository in a local (or mounted) folder. Atomicity comes from writing a temporary file in
 * {@code tmp/} under the root, forcing it to disk, and renaming it into place; a crash leaves at
 * most a stray file in {@code tmp/}, which readers never look at.
 *
 * <p>WORM retention is enforced here, by Cellar itself: a locked object's retention is kept
 * beside the data in {@code .retention/<key>} (written before the object becomes visible, so no
 * moment exists where the object is there and unlocked), the file is made read-only, and
 * {@link #put} and {@link #delete} refuse it until the date has passed on the storage's clock.
 * This stops Cellar and anyone using it; it cannot stop root or {@code rm} on the folder.
 */
public final class LocalStorage implements Storage {
    private static final String TMP = "tmp/";
    /** Actions of {@link #failure} that only read: a refusal there is no write refusal. */
    private static final java.util.Set<String> READ_ACTIONS = java.util.Set.of("read", "stat", "list");
    /** Retention records; a name no repository key starts with, and hidden from {@link #list}. */
    static final String RETENTION = ".retention/";

    private final Path root;
    private final Clock clock;
    /** Serialises read-modify-write of retention records within this process (the file lock does across processes). */
    private final Object retentionMonitor = new Object();
    /** Files and folders written by putIfAbsentLazily since the last flush. */
    private final java.util.Set<Path> lazyFiles = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Set<Path> lazyFolders = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public LocalStorage(Path root) {
        this(root, Clock.systemUTC());
    }

    /** @param clock decides when retention has passed (a test moves it past the date) */
    public LocalStorage(Path root, Clock clock) {
        this.root = root.toAbsolutePath().normalize();
        this.clock = clock;
    }

    public Path root() {
        return root;
    }

    /**
     * Creates the repository folder readable by its owner only: the audit trail and the wrapped
     * keys in it are not secret enough to share with every user of the host.
     */
    public void createPrivateRoot() {
        try {
            Files.createDirectories(root);
            Files.setPosixFilePermissions(root, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX filesystem: nothing to restrict
        } catch (IOException e) {
            throw failure("create", "the repository folder", e);
        }
    }

    @Override
    public String describe() {
        return root.toString();
    }

    @Override
    public void put(String key, byte[] data) {
        Path target = resolve(key);
        refuseIfLocked(key, target);
        Path temp = writeTemp(key, data);
        try {
            Files.createDirectories(target.getParent());
            moveAtomically(temp, target);
            syncDirectory(target.getParent());
        } catch (IOException e) {
            deleteQuietly(temp);
            throw failure("write", key, e);
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        return create(key, data, true);
    }

    @Override
    public boolean putIfAbsentLazily(String key, byte[] data) {
        return create(key, data, false);
    }

    /** Create-if-absent; durable at once, or at the next {@link #flushLazyWrites()}. */
    private boolean create(String key, byte[] data, boolean durable) {
        Path target = resolve(key);
        if (Files.exists(target)) {
            return false;
        }
        Path temp = writeTemp(key, data, durable);
        try {
            Files.createDirectories(target.getParent());
            // A hard link fails if the name exists, which makes the creation atomic and exclusive.
            Files.createLink(target, temp);
            if (durable) {
                syncDirectory(target.getParent());
            } else {
                lazyFiles.add(target);
                lazyFolders.add(target.getParent());
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException | UnsupportedOperationException e) {
            throw failure("create", key, e instanceof IOException io ? io : new IOException(e));
        } finally {
            deleteQuietly(temp);
        }
    }

    /** One syncfs of the repository's filesystem where possible, else an fsync per file and folder. */
    @Override
    public void flushLazyWrites() {
        if (lazyFiles.isEmpty() && lazyFolders.isEmpty()) {
            return;
        }
        java.util.List<Path> files = java.util.List.copyOf(lazyFiles);
        java.util.List<Path> folders = java.util.List.copyOf(lazyFolders);
        try {
            FilesystemSync.sync(java.util.List.of(root), files, folders);
        } catch (UncheckedIOException e) {
            throw failure("flush", "new chunks", e.getCause());
        }
        lazyFiles.removeAll(files);
        lazyFolders.removeAll(folders);
    }

    @Override
    public byte[] get(String key) {
        try {
            return Files.readAllBytes(resolve(key));
        } catch (NoSuchFileException e) {
            throw new NoSuchObjectException(key, describe());
        } catch (IOException e) {
            throw failure("read", key, e);
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(resolve(key));
    }

    @Override
    public long size(String key) {
        try {
            return Files.size(resolve(key));
        } catch (NoSuchFileException e) {
            throw new NoSuchObjectException(key, describe());
        } catch (IOException e) {
            throw failure("stat", key, e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        Path dir = resolve(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            Path retention = root.resolve(RETENTION);
            files.filter(p -> !p.startsWith(retention) && Files.isRegularFile(p))
                    .forEach(p -> keys.add(root.relativize(p).toString().replace('\\', '/')));
        } catch (IOException | UncheckedIOException e) {
            throw failure("list", prefix, e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public void delete(String key) {
        Path target = resolve(key);
        refuseIfLocked(key, target);
        try {
            Files.deleteIfExists(target);
            // the object first, its record after: a crash in between leaves a record without an object, which locks nothing
            Files.deleteIfExists(retentionFile(key));
        } catch (IOException e) {
            throw failure("delete", key, e);
        }
    }

    @Override
    public boolean supportsRetention() {
        return true;
    }

    /**
     * The retention record is written (durably) before the object is linked into place, and the
     * object is read-only from its first visible moment. An existing object keeps its content and
     * gets its retention extended.
     */
    @Override
    public boolean putIfAbsentRetained(String key, byte[] data, Retention retention) {
        Path target = resolve(key);
        if (Files.exists(target)) {
            extendRetention(key, retention);
            return false;
        }
        writeRetentionAtLeast(key, retention);
        Path temp = writeTemp(key, data, true);
        try {
            makeReadOnly(temp);
            Files.createDirectories(target.getParent());
            Files.createLink(target, temp);
            syncDirectory(target.getParent());
            return true;
        } catch (FileAlreadyExistsException e) {
            return false; // created meanwhile by another writer; the record written above extends its retention
        } catch (IOException | UnsupportedOperationException e) {
            throw failure("create", key, e instanceof IOException io ? io : new IOException(e));
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public Optional<Retention> retention(String key) {
        Path file = retentionFile(key);
        try {
            return Optional.of(RetentionRecord.parse(Files.readString(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            throw new CellarException(ErrorCode.REPOSITORY_INVALID, "the retention record " + RETENTION + key + " in "
                    + describe() + " cannot be read: " + e.getMessage(),
                    "the object counts as locked until the record is repaired; nothing was deleted");
        }
    }

    @Override
    public void extendRetention(String key, Retention retention) {
        Path target = resolve(key);
        if (!Files.isRegularFile(target)) {
            throw new NoSuchObjectException(key, describe());
        }
        writeRetentionAtLeast(key, retention);
        try {
            makeReadOnly(target);
        } catch (IOException e) {
            throw failure("lock", key, e);
        }
    }

    /**
     * Deletes an object under GOVERNANCE retention before its date, as a privileged user may on
     * S3 ({@code x-amz-bypass-governance-retention}). COMPLIANCE retention is refused: no one can
     * lift it. Cellar's own commands never call this.
     */
    public void deleteBypassingGovernance(String key) {
        Optional<Retention> retention = retention(key);
        if (retention.isPresent() && retention.get().mode() == Retention.Mode.COMPLIANCE
                && retention.get().activeAt(clock.instant()) && exists(key)) {
            throw new ObjectLockedException(key, retention.get(), describe());
        }
        try {
            Files.deleteIfExists(resolve(key));
            Files.deleteIfExists(retentionFile(key));
        } catch (IOException e) {
            throw failure("delete", key, e);
        }
    }

    private void refuseIfLocked(String key, Path target) {
        if (!Files.exists(target)) {
            return;
        }
        Optional<Retention> retention = retention(key);
        if (retention.isPresent() && retention.get().activeAt(clock.instant())) {
            throw new ObjectLockedException(key, retention.get(), describe());
        }
    }

    /** Read, merge, write, under a lock: two backups extending one shared chunk must not shorten each other's date. */
    private void writeRetentionAtLeast(String key, Retention wanted) {
        Path file = retentionFile(key);
        synchronized (retentionMonitor) {
            try {
                Files.createDirectories(root.resolve(RETENTION));
                try (FileChannel lockFile = FileChannel.open(root.resolve(RETENTION + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = lockFile.lock()) {
                    Retention merged = retention(key).map(existing -> existing.atLeast(wanted)).orElse(wanted);
                    if (merged.equals(retention(key).orElse(null))) {
                        return; // already at least that long: nothing to write
                    }
                    Path temp = writeTemp(RETENTION + key, RetentionRecord.format(merged).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    Files.createDirectories(file.getParent());
                    moveAtomically(temp, file);
                    syncDirectory(file.getParent());
                }
            } catch (IOException e) {
                throw failure("write the retention of", key, e);
            }
        }
    }

    private Path retentionFile(String key) {
        resolve(key); // the same check that the key stays inside the repository
        return resolve(RETENTION + key);
    }

    private static void makeReadOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        } catch (UnsupportedOperationException e) {
            file.toFile().setReadOnly();
        }
    }

    /** The record's JSON: {"mode": "COMPLIANCE", "retainUntil": "2033-11-24T02:00:00Z"}. */
    static final class RetentionRecord {
        private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

        private RetentionRecord() {
        }

        static String format(Retention r) {
            return JSON.createObjectNode().put("mode", r.mode().name()).put("retainUntil", r.retainUntil().toString()) + "\n";
        }

        static Retention parse(String json) throws IOException {
            com.fasterxml.jackson.databind.JsonNode node = JSON.readTree(json);
            if (node == null || !node.path("mode").isTextual() || !node.path("retainUntil").isTextual()) {
                throw new IllegalArgumentException("not a retention record: " + json.strip());
            }
            try {
                return new Retention(Retention.Mode.valueOf(node.get("mode").asText()), Instant.parse(node.get("retainUntil").asText()));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
    }

    private Path writeTemp(String key, byte[] data) {
        return writeTemp(key, data, true);
    }

    /** The object's bytes in a new file under tmp/, on the repository's own filesystem so that a rename or link moves it into place. */
    private Path writeTemp(String key, byte[] data, boolean force) {
        Path temp = root.resolve(TMP + UUID.randomUUID());
        try {
            Files.createDirectories(temp.getParent());
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(data);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                if (force) {
                    channel.force(true);
                }
            }
            return temp;
        } catch (IOException e) {
            deleteQuietly(temp);
            throw failure("write", key, e);
        }
    }

    private Path resolve(String key) {
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("key escapes the repository: " + key);
        }
        return path;
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the repository folder does not support atomic rename", e);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // Some filesystems refuse to open directories; the rename is still atomic there.
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort: a stray temp file is harmless and removed by gc
        }
    }

    private CellarException failure(String action, String key, IOException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (!READ_ACTIONS.contains(action) && refusesWrites(e)) {
            return new WriteRefusedException(ErrorCode.REPOSITORY_INVALID, key, describe(),
                    e instanceof AccessDeniedException ? "permission denied for " + System.getProperty("user.name") : "read-only file system", e);
        }
        if (isDiskFull(e)) {
            return new CellarException(ErrorCode.STORAGE_FULL,
                    "no space left to " + action + " " + key + " in repository " + describe(),
                    "free space on that filesystem (or run 'cellar expire' and 'cellar gc'), then retry; "
                            + "earlier backups are intact", e);
        }
        return new CellarException(ErrorCode.REPOSITORY_INVALID,
                "cannot " + action + " " + key + " in repository " + describe() + ": " + reason,
                "check that the folder exists and this user may read and write it", e);
    }

    /** A read-only mount or snapshot (EROFS), or a folder this user may not write to (EACCES, EPERM). */
    private static boolean refusesWrites(IOException e) {
        return e instanceof AccessDeniedException
                || e instanceof FileSystemException fs && fs.getReason() != null && fs.getReason().contains("Read-only file system")
                || e.getMessage() != null && e.getMessage().contains("Read-only file system");
    }

    static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left") || m.contains("Disk quota exceeded") || m.contains("File too large"))) {
                return true;
            }
        }
        return false;
    }

    /** A folder holds no threads or connections: nothing to release. */
    @Override
    public void close() {
    }
}
