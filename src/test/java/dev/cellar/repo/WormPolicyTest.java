package dev.cellar.repo;

import dev.cellar.config.WormConfig;
import dev.cellar.storage.Retention;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A lock is counted from the later of the backup's start and the server's time: a slow host never shortens it. */
class WormPolicyTest {
    private static final WormPolicy TEN_DAYS = new WormPolicy(new WormConfig("COMPLIANCE", 10, List.of("logical"), List.of()));
    private static final Instant STARTED = Instant.parse("2026-12-02T12:00:00Z");

    @Test
    void aHostClockBehindTheServerDoesNotShortenTheLock() {
        Instant server = STARTED.plus(Duration.ofHours(6));

        assertThat(TEN_DAYS.lockFor(BackupManifest.KIND_LOGICAL, "db", STARTED, Optional.of(server)))
                .contains(new Retention(Retention.Mode.COMPLIANCE, server.plus(Duration.ofDays(10))));
    }

    @Test
    void aHostClockAheadKeepsItsLongerLockAndNoServerMeansTheStart() {
        Retention fromStart = new Retention(Retention.Mode.COMPLIANCE, STARTED.plus(Duration.ofDays(10)));

        assertThat(TEN_DAYS.lockFor(BackupManifest.KIND_LOGICAL, "db", STARTED, Optional.of(STARTED.minusSeconds(90)))).contains(fromStart);
        assertThat(TEN_DAYS.lockFor(BackupManifest.KIND_LOGICAL, "db", STARTED, Optional.empty())).contains(fromStart);
        assertThat(TEN_DAYS.lockFor(BackupManifest.KIND_PHYSICAL, null, STARTED, Optional.empty())).isEmpty();
    }
}
