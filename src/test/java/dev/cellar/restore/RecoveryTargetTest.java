package dev.cellar.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.error.CellarException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecoveryTargetTest {

    @Test
    void timesWithAndWithoutOffsetBecomeOneInstant() {
        Instant expected = Instant.parse("2026-11-24T13:30:00Z");
        assertThat(RecoveryTarget.parseTime("2026-11-24 14:30:00+01", ZoneId.of("UTC"))).isEqualTo(expected);
        assertThat(RecoveryTarget.parseTime("2026-11-24T13:30:00Z", ZoneId.of("UTC"))).isEqualTo(expected);
        assertThat(RecoveryTarget.parseTime("2026-11-24 14:30", ZoneId.of("Europe/Paris"))).isEqualTo(expected);
        assertThat(RecoveryTarget.parseTime("2026-11-24 13:30:00.123456+00:00", ZoneId.of("UTC")))
                .isEqualTo(expected.plusNanos(123_456_000));
    }

    @Test
    void timeTargetIsWrittenWithAnExplicitOffset() {
        RecoveryTarget target = RecoveryTarget.time("2026-11-24 14:30:00+01", true, "latest", "promote", ZoneId.of("UTC"));
        assertThat(target.settings()).containsEntry("recovery_target_time", "2026-11-24 13:30:00.000000+00:00")
                .containsEntry("recovery_target_inclusive", "on")
                .containsEntry("recovery_target_timeline", "latest")
                .containsEntry("recovery_target_action", "promote");
    }

    @Test
    void latestSetsNoTarget() {
        assertThat(RecoveryTarget.latest("latest", "promote").settings()).containsOnlyKeys("recovery_target_timeline");
    }

    @Test
    void badInputIsAUsageError() {
        assertThatThrownBy(() -> RecoveryTarget.time("yesterday", true, "latest", "promote", ZoneId.of("UTC")))
                .isInstanceOf(CellarException.class).hasMessageContaining("not a time");
        assertThatThrownBy(() -> RecoveryTarget.lsn("12345", true, "latest", "promote")).hasMessageContaining("not an LSN");
        assertThatThrownBy(() -> RecoveryTarget.xid("abc", true, "latest", "promote")).hasMessageContaining("transaction id");
        assertThatThrownBy(() -> RecoveryTarget.latest("latest", "explode")).hasMessageContaining("promote, pause or shutdown");
    }

    @Test
    void restoreCommandMovesPrefetchedFilesFallsBackToCellarAndLeavesHistoryFilesToPgWal() {
        CellarProgram cellar = new CellarProgram(List.of("/opt/cellar dir/cellar"), List.of("--repo", "/var/lib/cellar/repo"));
        String command = RestoreCommandLine.build(cellar, Path.of("/var/spool/cellar/restore-1"), Path.of("/srv/pitr check"));
        assertThat(command).isEqualTo("f=/var/spool/cellar/restore-1/fetched/%f; case %f in *.history) exit 1;; "
                + "*) if [ -f \"$f\" ]; then mv -f \"$f\" \"%p\"; "
                + "else exec '/opt/cellar dir/cellar' wal get --repo /var/lib/cellar/repo --spool /var/spool/cellar/restore-1 "
                + "--recovery-of '/srv/pitr check' %f \"%p\"; fi;; esac");
    }
}
