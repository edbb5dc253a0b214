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
}
