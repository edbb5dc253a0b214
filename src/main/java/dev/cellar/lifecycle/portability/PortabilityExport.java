package dev.cellar.lifecycle.portability;

import java.time.Instant;
import java.util.List;

/**
 * Everything one export holds, read from one snapshot, before it is written in either format.
 *
 * @param subject      as given ({@code users:42}); it is the person's own export, so their id is in it
 * @param storedId     the subject's key as PostgreSQL prints it ({@code 42} for {@code users:042}): what
 *                     {@link dev.cellar.lifecycle.SubjectKey} hashes, so every record of one person hashes alike
 * @param policySource the data policy the export was made under (file, or the shipped one)
 * @param tables       the tables with at least one column, sorted by schema and name; tables with no row are kept,
 *                     so the reader sees what was looked at
 */
public record PortabilityExport(String subject, String storedId, String database, Instant exportedAt, String policySource, List<ExportedTable> tables) {
    public PortabilityExport {
        tables = List.copyOf(tables);
    }

    public long rowCount() {
        return tables.stream().mapToLong(t -> t.rows().size()).sum();
    }
}
