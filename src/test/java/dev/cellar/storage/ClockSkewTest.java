package dev.cellar.storage;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Locks are judged by the server's clock; a host clock more than a minute off it refuses deletes. */
class ClockSkewTest {
    private static final Instant SERVER_NOW = Instant.parse("2026-12-02T12:00:00Z");

    @TempDir
    Path folder;

    /** A folder that plays a storage whose server says it is {@link #SERVER_NOW}. */
    private Storage withServerClock() {
        return new ForwardingStorage(new LocalStorage(folder)) {
            @Override
            public Optional<Instant> serverTime() {
                return Optional.of(SERVER_NOW);
            }
        };
    }

    private static Clock host(Duration ahead) {
        return Clock.fixed(SERVER_NOW.plus(ahead), ZoneOffset.UTC);
    }

    @Test
    void lockTimeIsTheServersWhateverTheHostSays() {
        assertThat(withServerClock().lockTime(host(Duration.ofDays(4)))).isEqualTo(SERVER_NOW);
        assertThat(new LocalStorage(folder).lockTime(host(Duration.ofDays(4)))).isEqualTo(SERVER_NOW.plus(Duration.ofDays(4)));
    }

    @Test
    void aMinuteIsToleratedMoreIsRefusedForDeletes() {
        Storage storage = withServerClock();
        assertThat(ClockSkew.beyondTolerance(storage, host(Duration.ofSeconds(59)))).isEmpty();
        assertThat(ClockSkew.beyondTolerance(storage, host(Duration.ofSeconds(-59)))).isEmpty();
        assertThatCode(() -> ClockSkew.refuseIfBeyondTolerance(storage, host(Duration.ofSeconds(30)), "gc")).doesNotThrowAnyException();

        assertThatThrownBy(() -> ClockSkew.refuseIfBeyondTolerance(storage, host(Duration.ofDays(4).plusHours(2)), "expire"))
                .isInstanceOfSatisfying(CellarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CLOCK_SKEW);
                    assertThat(e.getMessage()).contains("expire refused").contains("4 d 2 h 0 min ahead of the clock of " + folder);
                    assertThat(e.hint()).contains("NTP").contains("nothing was deleted");
                });
        assertThat(ClockSkew.beyondTolerance(storage, host(Duration.ofMinutes(-5)))).hasValueSatisfying(
                skew -> assertThat(skew.describe()).contains("5 min 0 s behind the clock of"));
    }

    @Test
    void aStorageWithoutServerHasNoSkew() {
        assertThat(ClockSkew.of(new LocalStorage(folder), host(Duration.ofDays(400)))).isEmpty();
    }
}
