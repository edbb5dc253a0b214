package dev.cellar.wal;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pipeline.ZstdCodec;
import dev.cellar.repo.Repository;
import dev.cellar.repo.WalStore;
import dev.cellar.storage.NoSuchObjectException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The repository's WAL archive: what {@code archive_command} pushes and {@code restore_command}
 * fetches. Pushing is idempotent (the same content twice succeeds) and never overwrites a file
 * with different content, because PostgreSQL may retry a push after a crash, while a different
 * segment under the same name means two clusters share one archive.
 */
public final class WalArchive {
    private final Repository repository;
    private final WalStore store;
    private final ZstdCodec codec;

    public WalArchive(Repository repository, int compressionLevel) {
        this.repository = repository;
        this.store = repository.wal();
        this.codec = new ZstdCodec(compressionLevel);
    }

    /** Outcome of one push. */
    public record Pushed(WalFileName file, boolean alreadyArchived, long size, long storedBytes) {
    }

    /** How a fetch was answered. */
    public enum Fetched { FOUND, FOUND_PARTIAL, MISSING }

    /** Archives one file read from disk; see {@link #push(WalFileName, byte[])}. */
    public Pushed push(Path file) {
        return push(file, content -> null);
    }

    /**
     * The same, with the file's encoding made ahead of this call when there is one:
     * {@code encodedAhead} gets the content read here and returns its encoding, or null to have it
     * encoded here. It must encode exactly that content (the WAL agent checks its pieces against it).
     */
    public Pushed push(Path file, Function<byte[], WalStore.EncodedWal> encodedAhead) {
        WalFileName name = WalFileName.parse(file.getFileName().toString());
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CellarException(ErrorCode.NOT_FOUND, "WAL file " + file + " does not exist",
                    "archive_command must be given %p, the path PostgreSQL passes");
        } catch (IOException e) {
            throw new CellarException(ErrorCode.INTERNAL, "cannot read WAL file " + file + ": " + e.getMessage(),
                    "check that the user running Cellar can read the data directory");
        }
        return push(name, content, name.kind() == WalFileName.Kind.SEGMENT ? encodedAhead.apply(content) : null);
    }

    /**
     * Stores a WAL file. A partial segment replaces an earlier partial of the same name (it only
     * grows); any other file is created once, and pushing it again with equal content succeeds.
     */
    public Pushed push(WalFileName name, byte[] content) {
        return push(name, content, null);
    }

    private Pushed push(WalFileName name, byte[] content, WalStore.EncodedWal encoded) {
        String key = name.objectKey();
        if (name.kind() == WalFileName.Kind.PARTIAL) {
            long stored = store.put(key, name.name(), content, codec, repository.clock().instant());
            return new Pushed(name, false, content.length, stored);
        }
        Instant now = repository.clock().instant();
        WalStore.PutResult result = encoded == null ? store.putIfAbsent(key, name.name(), content, codec, now)
                : store.putIfAbsent(key, name.name(), content, encoded, now);
        if (result.created()) {
            return new Pushed(name, false, content.length, result.storedBytes());
        }
        if (result.stored().sha256().equals(encoded == null ? WalStore.sha256(content) : encoded.sha256())) {
            return new Pushed(name, true, content.length, 0);
        }
        throw new CellarException(ErrorCode.WAL_CONFLICT, "WAL file " + name + " is already archived in " + repository.storage().describe()
                + " with different content (" + result.stored().size() + " bytes archived at " + result.stored().archivedAt()
                + ", " + content.length + " bytes now)",
                "two clusters may be archiving into one repository, or this cluster was restored without a new timeline; "
                        + "give each cluster its own repository. Nothing was overwritten");
    }

    /** The codec pushed files are compressed with: the WAL agent compresses pieces of a segment with it ahead of the push. */
    public ZstdCodec codec() {
        return codec;
    }

    /**
     * Writes a WAL file to {@code destination} (atomically, via a temporary name beside it). A
     * segment that was never finished is answered with its last streamed partial, which is how
     * recovery reaches the last commit {@code cellar wal stream} received.
     */
    public Fetched fetch(WalFileName name, Path destination) {
        try {
            write(destination, store.get(name.objectKey()));
            return Fetched.FOUND;
        } catch (NoSuchObjectException missing) {
            if (name.kind() != WalFileName.Kind.SEGMENT) {
                return Fetched.MISSING;
            }
        }
        try {
            write(destination, store.get(WalFileName.parse(name.name() + ".partial").objectKey()));
            return Fetched.FOUND_PARTIAL;
        } catch (NoSuchObjectException missing) {
            return Fetched.MISSING;
        }
    }

    /** The content of an archived file; throws {@code NOT_FOUND} if it is not archived. */
    public byte[] read(WalFileName name) {
        try {
            return store.get(name.objectKey());
        } catch (NoSuchObjectException e) {
            throw new CellarException(ErrorCode.NOT_FOUND, "WAL file " + name + " is not in the archive of " + repository.storage().describe());
        }
    }

    public boolean contains(WalFileName name) {
        return store.exists(name.objectKey());
    }

    /** Every archived WAL file, in name order (timeline, then position). */
    public List<WalFileName> list() {
        List<WalFileName> files = new ArrayList<>();
        for (String key : store.listKeys()) {
            String name = key.substring(key.lastIndexOf('/') + 1);
            if (WalFileName.isWalFileName(name)) {
                files.add(WalFileName.parse(name));
            }
        }
        files.sort(null);
        return files;
    }

    public WalStore.WalObjectHeader header(WalFileName name) {
        return store.readHeader(name.objectKey());
    }

    /** Those of {@code files} that sit in an archive storage class, unreadable until thawed. */
    public List<WalFileName> archivedAmong(List<WalFileName> files) {
        java.util.Set<String> archived = repository.storage().listArchived(WalStore.PREFIX);
        if (archived.isEmpty()) {
            return List.of();
        }
        return files.stream().filter(f -> archived.contains(f.objectKey())).toList();
    }

    /**
     * Starts thawing those of {@code files} that sit in an archive storage class (Glacier, Deep
     * Archive), each kept readable for {@code keepFor}; returns how many needed it.
     */
    public int requestThaw(List<WalFileName> files, java.time.Duration keepFor) {
        int thawing = 0;
        for (WalFileName file : files) {
            if (repository.storage().requestThaw(file.objectKey(), keepFor)) {
                thawing++;
            }
        }
        return thawing;
    }

    public long storedSize(WalFileName name) {
        return store.storedSize(name.objectKey());
    }

    public void delete(WalFileName name) {
        store.delete(name.objectKey());
    }

    private static void write(Path destination, byte[] content) {
        Path temp = destination.resolveSibling(destination.getFileName() + ".cellar-tmp");
        try {
            Files.write(temp, content);
            try {
                Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, destination, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the failure below is what matters
            }
            throw new CellarException(ErrorCode.INTERNAL, "cannot write WAL file " + destination + ": " + e.getMessage(),
                    "check free space and permissions of the data directory's pg_wal");
        }
    }
}
