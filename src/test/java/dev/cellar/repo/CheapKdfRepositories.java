package dev.cellar.repo;

import dev.cellar.storage.LocalStorage;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Repositories for integration tests in other packages that run the CLI many times: a cheap
 * key derivation, so each CLI run spends milliseconds, not half a second, unlocking it.
 */
public final class CheapKdfRepositories {
    private CheapKdfRepositories() {
    }

    /** Creates a repository on {@code storage} (which must be empty) opened by {@code passphrase}. */
    public static Repository init(dev.cellar.storage.Storage storage, String passphrase) {
        return Repository.init(storage, RepositorySecret.passphrase(passphrase.toCharArray()), dev.cellar.pipeline.ChunkerParameters.DEFAULT,
                Clock.systemUTC(), TestRepositories.CHEAP_KDF);
    }

    /** Creates a repository in {@code folder} (which must not hold one) opened by {@code passphrase}. */
    public static Repository init(Path folder, String passphrase) {
        LocalStorage storage = new LocalStorage(folder);
        storage.createPrivateRoot();
        return Repository.init(storage, RepositorySecret.passphrase(passphrase.toCharArray()),
                dev.cellar.pipeline.ChunkerParameters.DEFAULT, Clock.systemUTC(), TestRepositories.CHEAP_KDF);
    }
}
