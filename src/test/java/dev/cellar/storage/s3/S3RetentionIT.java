package dev.cellar.storage.s3;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.MutableClock;
import dev.cellar.storage.ObjectLockedException;
import dev.cellar.storage.Retention;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRetentionResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Object Lock through the S3 driver, on S3Mock (which stores and returns retention but enforces
 * none of it): Cellar sends the retention it means, reads it back, only ever extends it, and
 * refuses deletes of locked objects itself.
 */
class S3RetentionIT {
    private static S3MockServer server;
    private static String lockedBucket;
    private final MutableClock clock = new MutableClock(Instant.now());
    private S3Storage storage;

    @BeforeAll
    static void startServer() {
        server = S3MockServer.start();
        lockedBucket = server.createLockedBucket();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void open() {
        storage = S3Storage.open(server.config(lockedBucket, "w-" + UUID.randomUUID() + "/"), server.env(), S3Timeouts.DEFAULT, clock);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private Retention until(Retention.Mode mode, int daysFromClock) {
        return new Retention(mode, clock.instant().plus(Duration.ofDays(daysFromClock)).truncatedTo(ChronoUnit.SECONDS));
    }

    @Test
    void aBucketWithObjectLockSupportsRetentionAndOneWithoutDoesNot() {
        assertThat(storage.supportsRetention()).isTrue();
        try (S3Storage plain = S3Storage.open(server.newRepository(), server.env())) {
            assertThat(plain.supportsRetention()).isFalse();
        }
    }

    @Test
    void aRetainedObjectReadsBackWithItsModeAndDate() {
        Retention retention = until(Retention.Mode.COMPLIANCE, 30);

        assertThat(storage.putIfAbsentRetained("archives/2026-01", "monthly".getBytes(), retention)).isTrue();

        assertThat(storage.get("archives/2026-01")).isEqualTo("monthly".getBytes());
        assertThat(storage.retention("archives/2026-01")).contains(retention);
        try (S3Client admin = server.adminClient()) {
            GetObjectRetentionResponse stored = admin.getObjectRetention(b -> b.bucket(lockedBucket).key(storage.keyPrefix() + "archives/2026-01"));
            assertThat(stored.retention().modeAsString()).isEqualTo("COMPLIANCE");
            assertThat(stored.retention().retainUntilDate()).isEqualTo(retention.retainUntil());
        }
    }

    @Test
    void anExistingObjectKeepsItsContentAndGetsItsRetentionExtended() {
        Retention first = until(Retention.Mode.GOVERNANCE, 10);
        storage.putIfAbsentRetained("backups/fin", "original".getBytes(), first);
        Retention later = until(Retention.Mode.GOVERNANCE, 40);

        assertThat(storage.putIfAbsentRetained("backups/fin", "replacement".getBytes(), later)).isFalse();

        assertThat(storage.get("backups/fin")).isEqualTo("original".getBytes());
        assertThat(storage.retention("backups/fin")).contains(later);
    }

    @Test
    void extendingNeverShortens() {
        Retention long_ = until(Retention.Mode.GOVERNANCE, 60);
        storage.putIfAbsentRetained("backups/a", "a".getBytes(), long_);

        storage.extendRetention("backups/a", until(Retention.Mode.GOVERNANCE, 5));
        assertThat(storage.retention("backups/a")).contains(long_);

        Retention longer = until(Retention.Mode.COMPLIANCE, 90);
        storage.extendRetention("backups/a", longer);
        assertThat(storage.retention("backups/a")).contains(longer);

        storage.extendRetention("backups/a", until(Retention.Mode.GOVERNANCE, 100));
        assertThat(storage.retention("backups/a")).get().satisfies(r -> {
            assertThat(r.mode()).as("compliance is never weakened to governance").isEqualTo(Retention.Mode.COMPLIANCE);
            assertThat(r.retainUntil()).isEqualTo(until(Retention.Mode.GOVERNANCE, 100).retainUntil());
        });
    }

    @Test
    void cellarRefusesToDeleteOrReplaceALockedObjectUntilItsDateByTheServersClock() throws InterruptedException {
        storage.put("probe", "p".getBytes()); // an answer, so the server's clock is known
        Instant serverNow = storage.serverTime().orElseThrow();
        Retention aFewSeconds = new Retention(Retention.Mode.COMPLIANCE, serverNow.plusSeconds(3).truncatedTo(ChronoUnit.SECONDS));
        storage.putIfAbsentRetained("archives/2026-02", "monthly".getBytes(), aFewSeconds);

        clock.advance(Duration.ofDays(7)); // this host's clock says the lock is long over: it does not decide
        assertThatThrownBy(() -> storage.delete("archives/2026-02"))
                .isInstanceOf(ObjectLockedException.class)
                .hasMessageContaining("archives/2026-02")
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.OBJECT_LOCKED));
        assertThatThrownBy(() -> storage.put("archives/2026-02", "other".getBytes())).isInstanceOf(ObjectLockedException.class);
        assertThat(storage.get("archives/2026-02")).isEqualTo("monthly".getBytes());

        while (!storage.lockTime(clock).isAfter(aFewSeconds.retainUntil())) {
            Thread.sleep(250);
            storage.exists("probe");
        }

        assertThatCode(() -> storage.delete("archives/2026-02")).doesNotThrowAnyException();
        assertThat(storage.exists("archives/2026-02")).isFalse();
    }

    @Test
    void theServersTimeComesFromItsAnswersAndIsCloseToThisHostsWhenBothAreRight() {
        storage.exists("anything");

        assertThat(storage.serverTime()).hasValueSatisfying(server ->
                assertThat(Duration.between(server, Instant.now()).abs()).isLessThan(Duration.ofSeconds(5)));
    }

    @Test
    void unlockedObjectsInALockedBucketAreDeletedAsUsual() {
        storage.put("locks/x.lock", "x".getBytes());

        assertThat(storage.retention("locks/x.lock")).isEmpty();
        storage.delete("locks/x.lock");
        assertThat(storage.exists("locks/x.lock")).isFalse();
    }
}
