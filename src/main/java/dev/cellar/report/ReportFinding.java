package dev.cellar.report;

import java.util.List;

/**
 * One thing a check found wrong (or could not evidence), with what it rests on.
 *
 * @param subject  what it is about: a backup id, a month, a WAL file, a table
 * @param reason   what is wrong, in one sentence
 * @param evidence what the finding cites: audit record numbers, drill ids, WAL file names
 */
public record ReportFinding(String subject, String reason, List<String> evidence) {
    public ReportFinding {
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
    }
}
