package dev.cellar.web.ui;

import java.time.Instant;
import java.util.List;

/**
 * The status board at one instant: every database × backup type, worst first. {@code GET /} renders it and
 * {@code GET /api/status} serialises it.
 *
 * @param observed whether the daemon has made an observation round yet (WAL lag and copies come from it)
 */
public record StatusBoard(Instant at, List<StatusRow> rows, boolean observed) {
    public StatusBoard {
        rows = List.copyOf(rows);
    }

    public long count(String status) {
        return rows.stream().filter(r -> r.status().equals(status)).count();
    }
}
