package dev.cellar.repo;

import dev.cellar.pipeline.ChunkerParameters;
import dev.cellar.storage.LocalStorage;
import java.nio.file.Path;
import java.time.Clock;

/** Repositories for unit tests: small chunks and a cheap Argon2 cost, so each takes milliseconds. */
public final class TestRepositories {
    static final ChunkerParameters SMALL_CHUNKS = ChunkerParameters.ofAverage(64 * 1024);
    static final KeyWrapper.Cost CHEAP_KDF = new KeyWrapper.Cost(64, 1, 1);

    private TestRepositories() {
    }

    public static Repository init(Path folder) {
        return init(folder, Clock.systemUTC());
    }

    public static Repository init(Path folder, Clock clock) {
        // the storage judges WORM retention on the same (possibly fake) clock as the repository
        return Repository.init(new LocalStorage(folder, clock), passphrase("test passphrase"), SMALL_CHUNKS, clock, CHEAP_KDF);
    }

    public static RepositorySecret passphrase(String text) {
        return RepositorySecret.passphrase(text.toCharArray());
    }

    /** A logical backup of {@code data} (one raw stream) committed with its manifest: for tests of what reads backups back. */
    public static BackupManifest logicalBackupOf(Repository repository, byte[] data) throws java.io.IOException {
        java.time.Instant now = java.time.Instant.now();
        try (StreamWriter writer = new StreamWriter(repository, 1, 2)) {
            StreamWriter.Written written = writer.write("dump", "raw", new java.io.ByteArrayInputStream(data), ProgressListener.NONE);
            BackupManifest manifest = new BackupManifest(BackupId.next(now), BackupManifest.KIND_LOGICAL, now, now, "db", "17", "test",
                    "here", "test", java.util.List.of(written.stream()), java.util.List.of(), written.storedBytes(), 0, null);
            repository.manifests().save(manifest);
            return manifest;
        }
    }
}
