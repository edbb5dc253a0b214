package dev.cellar.lifecycle.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.lifecycle.policy.DataPolicyParser;
import dev.cellar.pipeline.AeadCipher;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.storage.LocalStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger on a real local storage: append, the derived states, and each way of breaking the chain being found. */
class ErasureLedgerTest {
    private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
    private static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
    }

    @TempDir
    Path folder;
    LocalStorage storage;
    ErasureLedger ledger;

    @BeforeEach
    void open() {
        storage = new LocalStorage(folder);
        ledger = new ErasureLedger(storage, KEY);
    }

    static LedgerEntry request(String hash, Instant at, int dueDays) {
        return new LedgerEntry(0, null, LedgerEntry.REQUESTED, 0, "restaurant_ordering", "public.users", hash,
                ErasureRule.from(DataPolicyParser.restaurantOrdering()), at, at.plus(Duration.ofDays(dueDays)), at, Map.of(), "dba", "ticket 7");
    }

    static LedgerEntry applied(LedgerEntry request, Instant at) {
        return new LedgerEntry(0, null, LedgerEntry.APPLIED, request.sequence(), request.database(), request.subjectTable(),
                request.subjectHash(), request.rule(), request.requestedAt(), request.dueAt(), at, Map.of("public.users", 1L), "dba", null);
    }

    @Test
    void entriesAreNumberedFromOneAndEachLinksToThePreviousPlaintext() {
        LedgerEntry first = ledger.append(request("a".repeat(64), T0, 30));
        LedgerEntry second = ledger.append(applied(first, T0.plusSeconds(60)));

        assertThat(first.sequence()).isEqualTo(1);
        assertThat(first.request()).isEqualTo(1);
        assertThat(first.previousSha256()).isEqualTo(ErasureLedger.GENESIS);
        assertThat(second.sequence()).isEqualTo(2);
        assertThat(second.previousSha256()).isEqualTo(LedgerChainCheck.sha256(RepositoryJson.write(first)));
        LedgerContents contents = ledger.read();
        assertThat(contents.problems()).isEmpty();
        assertThat(contents.requests()).singleElement().satisfies(r -> assertThat(r.state()).isEqualTo("applied"));
        assertThat(contents.appliedTo("restaurant_ordering")).hasSize(1);
        assertThat(contents.appliedTo("other")).isEmpty();
    }

    @Test
    void onlyRequestsPastTheirDueDateAreDue() {
        ledger.append(request("a".repeat(64), T0, 30));
        ledger.append(request("b".repeat(64), T0, 5));

        assertThat(ledger.read().due(T0.plus(Duration.ofDays(6)))).extracting(r -> r.request().subjectHash()).containsExactly("b".repeat(64));
        assertThat(ledger.read().due(T0.plus(Duration.ofDays(30)))).hasSize(2);
    }

    @Test
    void aDeletedEntryIsAGap() {
        ledger.append(request("a".repeat(64), T0, 30));
        ledger.append(request("b".repeat(64), T0, 30));
        ledger.append(request("c".repeat(64), T0, 30));
        storage.delete(ErasureLedger.keyOf(2));

        assertThat(ledger.read().problems()).containsExactly("entry 2 is missing");
    }

    @Test
    void anEntryMovedToAnotherNumberDoesNotOpen() {
        ledger.append(request("a".repeat(64), T0, 30));
        ledger.append(request("b".repeat(64), T0, 30));
        storage.put(ErasureLedger.keyOf(2), storage.get(ErasureLedger.keyOf(1)));

        assertThat(ledger.read().problems()).anyMatch(p -> p.contains("entry 2") && p.contains("cannot be authenticated"));
    }

    @Test
    void anEntryEditedAndResealedWithTheKeyBreaksTheLinkOfTheNext() throws Exception {
        ledger.append(request("a".repeat(64), T0, 30));
        ledger.append(request("b".repeat(64), T0, 30));
        String key = ErasureLedger.keyOf(1);
        AeadCipher cipher = new AeadCipher(KEY);
        String plaintext = new String(cipher.open(storage.get(key), key), StandardCharsets.UTF_8);
        String edited = plaintext.replace("2026-12-02T10:00:00Z", "2027-01-02T10:00:00Z");
        assertThat(edited).isNotEqualTo(plaintext);
        storage.put(key, cipher.seal(edited.getBytes(StandardCharsets.UTF_8), key));

        assertThat(ledger.read().problems()).containsExactly("entry 2 does not follow entry 1: one of the two was changed after it was written");
    }

    @Test
    void aWriterThatLosesTheNumberTakesTheNext() {
        LedgerEntry first = ledger.append(request("a".repeat(64), T0, 30));
        // another writer put entry 2 between this writer's listing and its put: simulated by the storage already holding it
        AeadCipher cipher = new AeadCipher(KEY);
        LedgerEntry rival = request("r".repeat(64), T0, 30).at(2, LedgerChainCheck.sha256(RepositoryJson.write(first)));
        assertThat(storage.putIfAbsent(ErasureLedger.keyOf(2), cipher.seal(RepositoryJson.write(rival), ErasureLedger.keyOf(2)))).isTrue();

        LedgerEntry mine = ledger.append(request("b".repeat(64), T0, 30));

        assertThat(mine.sequence()).isEqualTo(3);
        assertThat(ledger.read().problems()).isEmpty();
    }

    @Test
    void anApplicationWithoutItsRequestIsReported() {
        LedgerEntry first = ledger.append(request("a".repeat(64), T0, 30));
        LedgerEntry orphan = new LedgerEntry(0, null, LedgerEntry.APPLIED, 9, first.database(), first.subjectTable(), first.subjectHash(),
                first.rule(), T0, T0, T0, Map.of(), "dba", null);
        ledger.append(orphan);

        assertThat(ledger.read().problems()).containsExactly("entry 2 applies request 9, which no earlier entry holds");
    }
}
