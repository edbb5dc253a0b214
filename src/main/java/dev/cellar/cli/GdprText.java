package dev.cellar.cli;

import dev.cellar.lifecycle.erasure.ErasureReapplication;
import dev.cellar.lifecycle.erasure.GdprResults.RequestView;
import java.util.List;
import java.util.Map;

/** How the gdpr commands and the restore commands print erasure requests and re-applications. */
final class GdprText {
    private GdprText() {
    }

    /** One line: number, state, subject (by hash), dates. */
    static String line(RequestView r) {
        return String.format("  %-5d %-9s %s %s:%s…  requested %s  due %s%s%n", r.request(), r.state(), r.database(), r.subjectTable(),
                r.subjectHash().substring(0, 16), r.requestedAt(), r.dueAt(),
                r.appliedAt() == null ? "" : "  applied " + r.appliedAt() + " (" + rows(r.rowsChanged()) + ")");
    }

    static String rows(Map<String, Long> rows) {
        long total = rows.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder text = new StringBuilder().append(total).append(total == 1 ? " row" : " rows");
        if (!rows.isEmpty()) {
            text.append(": ");
            rows.forEach((table, n) -> text.append(table).append(' ').append(n).append(", "));
            text.setLength(text.length() - 2);
        }
        return text.toString();
    }

    /** What a restore prints about the ledger: "re-applied 1 erasure (…)". */
    static String reapplied(ErasureReapplication r) {
        if (r == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        text.append("re-applied ").append(r.subjectsFound()).append(r.subjectsFound() == 1 ? " erasure" : " erasures");
        text.append(" (").append(r.ledgerEntries()).append(" in the ledger for this database, ").append(r.rowsChanged()).append(" rows changed)\n");
        for (String w : r.warnings()) {
            text.append("warning: ").append(w).append('\n');
        }
        return text.toString();
    }

    static void warnings(StringBuilder text, List<String> warnings) {
        warnings.forEach(w -> text.append("warning: ").append(w).append('\n'));
    }
}
