package dev.cellar.lifecycle.portability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellar.pg.SnapshotSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Runs one table's {@code belongingSql} and returns its rows as export values. Every column is read
 * as PostgreSQL's text (arrays and rows through to_jsonb), so no value passes through a JDBC type
 * that could round it, and {@link JsonValues} decides the JSON form.
 */
final class SubjectRowReader {
    private SubjectRowReader() {
    }

    /** The rows, ordered by the table's primary key (or by every column when it has none), so two exports compare line by line. */
    static List<List<JsonNode>> read(Connection snapshot, String belongingSql, List<ExportColumn> columns, List<String> orderBy,
                                     String subjectId) throws SQLException {
        String select = columns.stream()
                .map(c -> (c.kind().readAsJson() ? "to_jsonb(q." + q(c.name()) + ")::text" : "q." + q(c.name()) + "::text"))
                .collect(Collectors.joining(", "));
        String order = orderBy.isEmpty()
                ? IntStream.rangeClosed(1, columns.size()).mapToObj(Integer::toString).collect(Collectors.joining(", "))
                : orderBy.stream().map(c -> "q." + q(c)).collect(Collectors.joining(", "));
        String sql = "SELECT " + select + " FROM (" + belongingSql + ") q ORDER BY " + order;
        try (PreparedStatement ps = snapshot.prepareStatement(sql)) {
            // untyped, so PostgreSQL reads the id as the subject key's own type (see SubjectRowQuery)
            ps.setObject(1, subjectId, Types.OTHER);
            List<List<JsonNode>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<JsonNode> row = new ArrayList<>(columns.size());
                    for (int i = 0; i < columns.size(); i++) {
                        row.add(JsonValues.toJson(rs.getString(i + 1), columns.get(i).kind()));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    private static String q(String identifier) {
        return SnapshotSession.quoteIdentifier(identifier);
    }
}
