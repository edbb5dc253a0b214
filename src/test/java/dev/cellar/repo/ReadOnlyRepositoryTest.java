package dev.cellar.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.storage.LocalStorage;
import dev.cellar.storage.ReadOnlyStorage;
import dev.cellar.storage.WriteRefusedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A repository that refuses writes: reading commands go on without a lock and without an audit append, and say so once. */
class ReadOnlyRepositoryTest {
    @TempDir
    Path folder;

    private Repository readOnly;
    private final List<String> told = new ArrayList<>();

    @BeforeEach
    void setUp() {
        TestRepositories.init(folder).audit().append("init", "test", AuditRecord.OK, "", 0, null);
        readOnly = Repository.open(new ReadOnlyStorage(new LocalStorage(folder)), TestRepositories.passphrase("test passphrase"),
                Clock.systemUTC());
        readOnly.notices().tellTo(told::add);
    }

    @Test
    void aReaderGoesOnWithoutALockAndWithoutAnAuditRecordAndWritesNothing() throws IOException {
        Map<String, String> before = snapshot(folder);

        try (RepositoryLock.Held lock = readOnly.locks().acquireForReading("restore logical x", Duration.ZERO)) {
            assertThat(lock.locked()).isFalse();
        }
        readOnly.audit().appendForReading("restore.logical", "shop_copy", AuditRecord.OK, "x", 10, Duration.ofSeconds(1));
        readOnly.audit().appendForReading("verify.restore-test", "x", AuditRecord.OK, "", 10, Duration.ofSeconds(2));

        assertThat(snapshot(folder)).isEqualTo(before);
        assertThat(told).singleElement().asString().contains("refuses writes").contains("without a lock").contains("--read-only");
        RepositoryNotices.ReadOnly readOnlyNote = readOnly.notices().summary().readOnly();
        assertThat(readOnlyNote.readWithoutLock()).isTrue();
        assertThat(readOnlyNote.location()).isEqualTo(folder.toString());
        assertThat(readOnlyNote.auditNotRecorded()).extracting(RepositoryNotices.NotRecorded::operation)
                .containsExactly("restore.logical", "verify.restore-test");
        assertThat(readOnly.audit().read(0).records()).extracting(AuditRecord::operation).containsExactly("init");
    }

    @Test
    void anAuditRefusedWithoutALockTriedFirstIsToldOnceToo() {
        readOnly.audit().appendForReading("verify", "all", AuditRecord.OK, "", 0, Duration.ZERO);

        assertThat(told).singleElement().asString().contains("audit record of this verify");
        assertThat(readOnly.notices().summary().readOnly().readWithoutLock()).isFalse();
    }

    @Test
    void aWriterIsRefusedAndTheMessageSaysWhatReadsStillWork() {
        assertThatThrownBy(() -> readOnly.locks().acquireShared("backup logical shop", Duration.ZERO))
                .isInstanceOfSatisfying(WriteRefusedException.class, e -> {
                    assertThat(e.key()).startsWith("locks/");
                    assertThat(e.hint()).contains("restore").contains("backup");
                });
        assertThat(told).isEmpty();
    }

    @Test
    void aWritableRepositoryStillTakesTheLockAndRecordsTheRead() {
        Repository writable = Repository.open(new LocalStorage(folder), TestRepositories.passphrase("test passphrase"), Clock.systemUTC());

        try (RepositoryLock.Held lock = writable.locks().acquireForReading("restore logical x", Duration.ZERO)) {
            assertThat(lock.locked()).isTrue();
            assertThat(writable.locks().list()).hasSize(1);
        }
        writable.audit().appendForReading("restore.logical", "shop_copy", AuditRecord.OK, "x", 10, Duration.ofSeconds(1));

        assertThat(writable.audit().read(0).records()).extracting(AuditRecord::operation).containsExactly("init", "restore.logical");
        assertThat(writable.notices().summary().isEmpty()).isTrue();
    }

    /** Every file and folder with its size and modification time. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.toList()) {
                entries.put(root.relativize(p).toString(), Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return entries;
    }
}
