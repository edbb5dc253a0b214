package dev.cellar.storage;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A repository in a local (or mounted) folder. Atomicity comes from writing a temporary file in
 * {@code tmp/} under the root, forcing it to disk, and renaming it into place; a crash leaves at
 * most a stray file in {@code tmp/}, which readers never look at.
 */
public final class LocalStorage implements Storage {
    private static final String TMP = "tmp/";

    private final Path root;
    /** Files and folders written by putIfAbsentLazily since the last flush. */
    private final java.util.Set<Path> lazyFiles = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Set<Path> lazyFolders = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public LocalStorage(Path root) {
        this.root = root.toAbsolutePath().normalize();
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
        Path temp = writeTemp(data);
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
        Path temp = writeTemp(data, durable);
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
            files.filter(Files::isRegularFile)
                    .forEach(p -> keys.add(root.relativize(p).toString().replace('\\', '/')));
        } catch (IOException | UncheckedIOException e) {
            throw failure("list", prefix, e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(resolve(key));
        } catch (IOException e) {
            throw failure("delete", key, e);
        }
    }

    private Path writeTemp(byte[] data) {
        return writeTemp(data, true);
    }

    private Path writeTemp(byte[] data, boolean force) {
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
            throw failure("write", TMP, e);
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

    static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left") || m.contains("Disk quota exceeded") || m.contains("File too large"))) {
                return true;
            }
        }
        return false;
    }
}
