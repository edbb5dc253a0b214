package dev.cellar.storage;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on the local driver: every test and assertion is inherited from {@link StorageContract}. */
class LocalStorageContractTest extends StorageContract {
    @TempDir
    Path root;

    @Override
    protected Storage newStorage() {
        return new LocalStorage(root.resolve(UUID.randomUUID().toString()));
    }
}
