package dev.cellar.repo;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pipeline.ChunkerParameters;
import dev.cellar.storage.LocalStorage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RepositoryTest {
    private static final ChunkerParameters SMALL_CHUNKS = TestRepositories.SMALL_CHUNKS;
    private static final KeyWrapper.Cost CHEAP_KDF = TestRepositories.CHEAP_KDF;

    @TempDir
    Path folder;

    @Test
    void openWithTheSamePassphraseReadsWhatInitWrote() throws Exception {
        LocalStorage storage = new LocalStorage(folder);
        Repository created = Repository.init(storage, passphrase("correct horse"), SMALL_CHUNKS, Clock.systemUTC());
        byte[] data = "1\tespresso\n".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        BackupManifest.StreamEntry stream;
        try (StreamWriter writer = new StreamWriter(created, 3, 2)) {
            stream = writer.write("dump", "custom", new ByteArrayInputStream(data), ProgressListener.NONE).stream();
        }

        Repository opened = Repository.open(storage, passphrase("correct horse"), Clock.systemUTC());

        assertThat(opened.header()).isEqualTo(created.header());
        assertThat(opened.header().chunker()).isEqualTo(SMALL_CHUNKS);
        assertThat(opened.chunker().parameters()).isEqualTo(SMALL_CHUNKS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (StreamReader reader = new StreamReader(opened, 2)) {
            reader.read(stream, out, ProgressListener.NONE);
        }
        assertThat(out.toByteArray()).isEqualTo(data);
        // the public init uses the full Argon2id cost, whatever tests use elsewhere
        KeySlot slot = RepositoryJson.read(storage.get(storage.list(KeySlot.PREFIX).get(0)), KeySlot.class);
        assertThat(slot.memoryKib()).isEqualTo(KeyWrapper.MEMORY_KIB);
        assertThat(slot.iterations()).isEqualTo(KeyWrapper.ITERATIONS);
    }

    @Test
    void wrongPassphraseIsRefusedWithWrongKey() {
        LocalStorage storage = new LocalStorage(folder);
        Repository.init(storage, passphrase("correct horse"), SMALL_CHUNKS, Clock.systemUTC(), CHEAP_KDF);

        assertThatThrownBy(() -> Repository.open(storage, passphrase("battery staple"), Clock.systemUTC()))
                .isInstanceOf(CellarException.class)
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.WRONG_KEY))
                .hasMessageContaining(folder.toString());
    }

    @Test
    void aRepositoryMadeWithANewKeyFileRecordsHkdfOpensWithItAndRefusesAnotherKeyFile() throws Exception {
        LocalStorage storage = new LocalStorage(folder.resolve("repo"));
        Path keyFile = folder.resolve("cellar.key");
        dev.cellar.app.InitService.writeNewKeyFile(keyFile);
        Path otherKeyFile = folder.resolve("other.key");
        dev.cellar.app.InitService.writeNewKeyFile(otherKeyFile);
        Repository created = Repository.init(storage, RepositorySecret.keyFile(Files.readAllBytes(keyFile)), SMALL_CHUNKS, Clock.systemUTC());

        KeySlot slot = RepositoryJson.read(storage.get(storage.list(KeySlot.PREFIX).get(0)), KeySlot.class);
        assertThat(slot.kind()).isEqualTo(RepositorySecret.KEY_FILE);
        assertThat(slot.kdf()).isEqualTo("hkdf-sha256");
        Repository opened = Repository.open(storage, RepositorySecret.keyFile(Files.readAllBytes(keyFile)), Clock.systemUTC());
        assertThat(opened.header()).isEqualTo(created.header());
        assertThatThrownBy(() -> Repository.open(storage, RepositorySecret.keyFile(Files.readAllBytes(otherKeyFile)), Clock.systemUTC()))
                .isInstanceOf(CellarException.class)
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.WRONG_KEY))
                .hasMessageContaining("the key-file given does not open repository");
    }

    @Test
    void openOfAnEmptyFolderSaysThereIsNoRepositoryAndHowToCreateOne() {
        assertThatThrownBy(() -> Repository.open(new LocalStorage(folder), passphrase("x"), Clock.systemUTC()))
                .isInstanceOf(CellarException.class)
                .satisfies(e -> {
                    CellarException ce = (CellarException) e;
                    assertThat(ce.code()).isEqualTo(ErrorCode.REPOSITORY_INVALID);
                    assertThat(ce.getMessage()).contains("no Cellar repository");
                    assertThat(ce.hint()).contains("cellar init");
                });
    }

    @Test
    void initRefusesAFolderThatAlreadyHoldsARepository() {
        LocalStorage storage = new LocalStorage(folder);
        Repository.init(storage, passphrase("one"), SMALL_CHUNKS, Clock.systemUTC(), CHEAP_KDF);

        assertThatThrownBy(() -> Repository.init(storage, passphrase("two"), SMALL_CHUNKS, Clock.systemUTC(), CHEAP_KDF))
                .isInstanceOf(CellarException.class)
                .hasMessageContaining("already exists")
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.REPOSITORY_INVALID));
        // the first repository still opens with its own passphrase
        assertThat(Repository.open(storage, passphrase("one"), Clock.systemUTC())).isNotNull();
    }

    @Test
    void initRefusesAFolderWithOtherFiles() throws Exception {
        Files.createDirectories(folder.resolve("photos"));
        Files.writeString(folder.resolve("photos/cat.jpg"), "meow");

        assertThatThrownBy(() -> Repository.init(new LocalStorage(folder), passphrase("x"), SMALL_CHUNKS, Clock.systemUTC(), CHEAP_KDF))
                .isInstanceOf(CellarException.class)
                .hasMessageContaining("is not empty")
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.REPOSITORY_INVALID));
        assertThat(folder.resolve("cellar.json")).doesNotExist();
        assertThat(folder.resolve("keys")).doesNotExist();
    }

    @Test
    void headerOfAFutureFormatVersionIsRefused() throws Exception {
        LocalStorage storage = new LocalStorage(folder);
        Repository.init(storage, passphrase("x"), SMALL_CHUNKS, Clock.systemUTC(), CHEAP_KDF);
        RepositoryHeader header = RepositoryJson.read(storage.get(RepositoryHeader.KEY), RepositoryHeader.class);
        RepositoryHeader future = new RepositoryHeader(header.magic(), RepositoryHeader.FORMAT_VERSION + 1, header.repositoryId(),
                header.createdAt(), header.cipher(), header.chunkIdAlgorithm(), header.compression(), header.chunker());
        storage.put(RepositoryHeader.KEY, RepositoryJson.write(future));

        assertThatThrownBy(() -> Repository.open(storage, passphrase("x"), Clock.systemUTC()))
                .isInstanceOf(CellarException.class)
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.REPOSITORY_INVALID))
                .hasMessageContaining("format " + (RepositoryHeader.FORMAT_VERSION + 1));
    }

    @Test
    void headerThatIsNotJsonIsRefusedNamingTheFile() {
        LocalStorage storage = new LocalStorage(folder);
        Repository.init(storage, passphrase("x"), SMALL_CHUNKS, Clock.systemUTC(), CHEAP_KDF);
        storage.put(RepositoryHeader.KEY, "{not json".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> Repository.open(storage, passphrase("x"), Clock.systemUTC()))
                .isInstanceOf(CellarException.class)
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.REPOSITORY_INVALID))
                .hasMessageContaining("cellar.json");
    }

    @Test
    void keyFileSecretOpensTheRepositoryAndAPassphraseDoesNot() {
        LocalStorage storage = new LocalStorage(folder);
        byte[] keyFile = new byte[64];
        new java.security.SecureRandom().nextBytes(keyFile);
        Repository created = Repository.init(storage, RepositorySecret.keyFile(keyFile), SMALL_CHUNKS, Clock.systemUTC(), CHEAP_KDF);

        Repository opened = Repository.open(storage, RepositorySecret.keyFile(keyFile), Clock.systemUTC());

        assertThat(opened.header().repositoryId()).isEqualTo(created.header().repositoryId());
        assertThatThrownBy(() -> Repository.open(storage, passphrase("guess"), Clock.systemUTC()))
                .isInstanceOf(CellarException.class)
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.WRONG_KEY));
    }

    @Test
    void secretDoesNotPrintItsBytes() {
        assertThat(passphrase("hunter2").toString()).doesNotContain("hunter2");
    }

    private static RepositorySecret passphrase(String text) {
        return RepositorySecret.passphrase(text.toCharArray());
    }
}
