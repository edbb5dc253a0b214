package dev.cellar.web.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.RepositoryJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code cellar.web_operation} table. A change of state is a guarded UPDATE (it names the
 * state it leaves), so two nodes or two approvers racing on one operation change it once.
 */
final class OperationStore {
    private static final ObjectMapper JSON = RepositoryJson.mapper();
    private static final String COLUMNS = "id, kind, database_name, target, request, requested_by, requested_source, requested_at, state, "
            + "phase, done, total, approval_expires_at, approved_by, decided_at, started_at, finished_at, result, error";

    private final DataSource dataSource;

    OperationStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void insert(OperationRecord op) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO cellar.web_operation (" + COLUMNS + ") VALUES "
                        + "(?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)")) {
            bind(ps, op);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw unavailable("record operation " + op.id(), e);
        }
    }

    /** Writes {@code op} over the row if the row is still in state {@code from}; whether it was. */
    boolean update(OperationRecord op, OperationState from) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE cellar.web_operation SET state = ?, phase = ?, done = ?, total = ?, "
                        + "approved_by = ?, decided_at = ?, started_at = ?, finished_at = ?, result = ?::jsonb, error = ? "
                        + "WHERE id = ? AND state = ?")) {
            ps.setString(1, op.state().word());
            ps.setString(2, op.progress().phase());
            ps.setLong(3, op.progress().done());
            ps.setLong(4, op.progress().total());
            ps.setString(5, op.approvedBy());
            ps.setTimestamp(6, timestamp(op.decidedAt()));
            ps.setTimestamp(7, timestamp(op.startedAt()));
            ps.setTimestamp(8, timestamp(op.finishedAt()));
            ps.setString(9, op.result() == null ? null : op.result().toString());
            ps.setString(10, op.error());
            ps.setString(11, op.id());
            ps.setString(12, from.word());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw unavailable("record operation " + op.id(), e);
        }
    }

    Optional<OperationRecord> find(String id) {
        List<OperationRecord> found = query("SELECT " + COLUMNS + " FROM cellar.web_operation WHERE id = ?", id, 1);
        return found.stream().findFirst();
    }

    /** The newest {@code limit} operations, newest first. */
    List<OperationRecord> recent(int limit) {
        return query("SELECT " + COLUMNS + " FROM cellar.web_operation ORDER BY requested_at DESC, id DESC LIMIT ?", null, limit);
    }

    /** Marks every running operation interrupted: called when a server starts, before it runs any. */
    int markInterrupted(Instant now) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE cellar.web_operation SET state = 'interrupted', finished_at = ?, error = ? "
                        + "WHERE state = 'running'")) {
            ps.setTimestamp(1, timestamp(now));
            ps.setString(2, "the server stopped while it ran; check the repository (cellar unlock, cellar verify) and start it again");
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw unavailable("mark unfinished operations interrupted", e);
        }
    }

    private List<OperationRecord> query(String sql, String id, int limit) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (id != null) {
                ps.setString(1, id);
            } else {
                ps.setInt(1, limit);
            }
            List<OperationRecord> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw unavailable("read operations", e);
        }
    }

    private static OperationRecord row(ResultSet rs) throws SQLException {
        try {
            OperationKind kind = OperationKind.ofWord(rs.getString("kind"));
            Map<String, Object> params = JSON.readValue(rs.getString("request"), new TypeReference<>() { });
            OperationRequest request = new OperationRequest(kind, rs.getString("database_name"), rs.getString("target"), params);
            String result = rs.getString("result");
            return new OperationRecord(rs.getString("id"), kind, request, request.target(), request.database(), rs.getString("requested_by"),
                    rs.getString("requested_source"), instant(rs, "requested_at"), OperationState.ofWord(rs.getString("state")),
                    new OperationProgress(rs.getString("phase"), rs.getLong("done"), rs.getLong("total")), instant(rs, "approval_expires_at"),
                    rs.getString("approved_by"), instant(rs, "decided_at"), instant(rs, "started_at"), instant(rs, "finished_at"),
                    result == null ? null : JSON.readTree(result), rs.getString("error"));
        } catch (JsonProcessingException e) {
            throw new SQLException("web_operation row with unreadable JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void bind(PreparedStatement ps, OperationRecord op) throws SQLException {
        ps.setString(1, op.id());
        ps.setString(2, op.kind().word());
        ps.setString(3, op.database());
        ps.setString(4, op.target());
        try {
            ps.setString(5, JSON.writeValueAsString(op.request().params()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("operation request is not JSON: " + e.getOriginalMessage(), e);
        }
        ps.setString(6, op.requestedBy());
        ps.setString(7, op.requestedSource() == null ? "" : op.requestedSource());
        ps.setTimestamp(8, timestamp(op.requestedAt()));
        ps.setString(9, op.state().word());
        ps.setString(10, op.progress().phase());
        ps.setLong(11, op.progress().done());
        ps.setLong(12, op.progress().total());
        ps.setTimestamp(13, timestamp(op.approvalExpiresAt()));
        ps.setString(14, op.approvedBy());
        ps.setTimestamp(15, timestamp(op.decidedAt()));
        ps.setTimestamp(16, timestamp(op.startedAt()));
        ps.setTimestamp(17, timestamp(op.finishedAt()));
        if (op.result() == null) {
            ps.setNull(18, Types.VARCHAR);
        } else {
            ps.setString(18, op.result().toString());
        }
        ps.setString(19, op.error());
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static CellarException unavailable(String what, SQLException e) {
        return new CellarException(ErrorCode.DATABASE_UNREACHABLE, "cannot " + what + " in the catalog: " + e.getMessage(),
                "check that the catalog database answers (GET /health); the operation's state is kept there");
    }
}
