package dev.cellar.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.server.catalog.MonitoringRow;
import dev.cellar.server.metrics.MonitoringSnapshot;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StatusBoardsTest {
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

    private static MonitoringRow row(String database, String type, String status, Duration age, double durationMinutes) {
        Instant last = age == null ? null : NOW.minus(age);
        return new MonitoringRow(database, type, last, status, BigDecimal.TEN, age == null ? null : BigDecimal.valueOf(durationMinutes), age,
                age == null ? null : "b-" + database, Duration.ofHours(23), Duration.ofHours(25));
    }

    @Test
    void worstRowsComeFirstAndEachKeepsItsStatusWord() {
        StatusBoard board = StatusBoards.assemble(NOW, List.of(
                row("billing", "logical", "OK", Duration.ofHours(2), 5),
                row("orders", "logical", "CRITICAL", Duration.ofHours(26), 5),
                row("orders", "physical", "WARNING", Duration.ofHours(9).plusMinutes(30), 10)), Map.of(), List.of(), null);

        assertThat(board.rows()).extracting(StatusRow::status).containsExactly("CRITICAL", "WARNING", "OK");
        assertThat(board.count("CRITICAL")).isEqualTo(1);
        assertThat(board.observed()).isFalse();
    }

    @Test
    void withoutAnObservationTheRpoComesFromTheNewestConsistentBackupAndWalAndCopiesAreNotObserved() {
        // logical 26 h old (consistent at its start); physical started 9 h 30 ago and took 10 min (consistent at its end)
        StatusBoard board = StatusBoards.assemble(NOW, List.of(
                row("orders", "logical", "CRITICAL", Duration.ofHours(26), 5),
                row("orders", "physical", "WARNING", Duration.ofMinutes(570), 10)), Map.of("orders", Duration.ofHours(1)), List.of(), null);

        StatusRow logical = board.rows().stream().filter(r -> r.backupType().equals("logical")).findFirst().orElseThrow();
        assertThat(logical.rpo()).isEqualTo(Duration.ofMinutes(560));
        assertThat(logical.rpoObjective()).isEqualTo(Duration.ofHours(1));
        assertThat(logical.rpoMet()).isFalse();
        assertThat(logical.walLag()).isNull();
        assertThat(logical.copiesBehind()).isNull();
    }

    @Test
    void aDatabaseThatNeverSucceededHasNothingToRestoreAndMissesItsObjective() {
        StatusBoard board = StatusBoards.assemble(NOW, List.of(row("fresh", "logical", "CRITICAL", null, 0)), Map.of(), List.of(), null);

        StatusRow fresh = board.rows().get(0);
        assertThat(fresh.rpo()).isNull();
        assertThat(fresh.rpoMet()).isFalse();
        assertThat(fresh.rpoObjective()).isEqualTo(StatusBoards.DEFAULT_RPO_OBJECTIVE);
    }

    @Test
    void anObservationGivesTheTrueRecoveryPointWalLagAndCopiesBehind() {
        MonitoringSnapshot.Database orders = new MonitoringSnapshot.Database("orders", List.of(), OptionalDouble.empty(),
                Optional.of(NOW.minusSeconds(300)), Duration.ofMinutes(15), Optional.of(NOW.minusSeconds(120)), Optional.empty());
        MonitoringSnapshot snapshot = new MonitoringSnapshot(NOW, new MonitoringSnapshot.Scheduler(Optional.empty(), 0), List.of(),
                List.of(orders), List.of(
                        new MonitoringSnapshot.Repository("local", 1, OptionalLong.empty(), OptionalLong.of(0), OptionalLong.empty()),
                        new MonitoringSnapshot.Repository("cloud", 1, OptionalLong.empty(), OptionalLong.of(2), OptionalLong.empty())));

        StatusRow row = StatusBoards.assemble(NOW, List.of(row("orders", "physical", "OK", Duration.ofHours(1), 10)), Map.of(),
                List.of(), snapshot).rows().get(0);

        assertThat(row.rpo()).isEqualTo(Duration.ofMinutes(5));
        assertThat(row.rpoMet()).isTrue();
        assertThat(row.walLag()).isEqualTo(Duration.ofMinutes(2));
        assertThat(row.copiesBehind()).isEqualTo(2);
    }

    @Test
    void copiesWhoseLagNobodyMeasuredAreNotObservedRatherThanZero() {
        assertThat(StatusBoards.copiesBehind(List.of(
                new MonitoringSnapshot.Repository("local", 1, OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty())))).isNull();
    }
}
