package dev.cellar.lifecycle.erasure;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.lifecycle.SubjectKey;
import dev.cellar.lifecycle.TableName;
import dev.cellar.lifecycle.graph.ForeignKeyCatalog;
import dev.cellar.lifecycle.graph.ForeignKeyGraph;
import dev.cellar.lifecycle.graph.Subject;
import dev.cellar.lifecycle.graph.SubjectRowQueries;
import dev.cellar.lifecycle.graph.SubjectRowQuery;
import dev.cellar.pg.SnapshotSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Applies an erasure rule to one subject of one database, inside the caller's transaction: finds
 * the subject by its keyed hash, collects the keys of every row belonging to it (through the
 * foreign-key graph), then deletes, nulls or pseudonymises table by table, referencing tables
 * before referenced ones. The caller commits; a failure anywhere leaves the database as it was.
 */
public final class SubjectErasure {
    private static final String COLUMN_FACTS_SQL = """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), t.typcategory, NOT a.attnotnull,
                   CASE WHEN t.typcategory = 'S' AND a.atttypmod > 4 THEN a.atttypmod - 4 END,
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisunique AND i.indnatts = 1
                                AND i.indkey[0] = a.attnum),
                   a.attname ILIKE '%email%' OR EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = a.attrelid AND k.contype = 'c'
                                AND a.attnum = ANY (k.conkey) AND pg_get_constraintdef(k.oid) LIKE '%@%')
              FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
             WHERE a.attrelid = CAST(? AS regclass) AND a.attnum > 0 AND NOT a.attisdropped
            """;

    private final Connection connection;
    private final SubjectKey subjectKey;

    /** @param connection with auto-commit off: every statement runs in the caller's transaction */
    public SubjectErasure(Connection connection, SubjectKey subjectKey) {
        this.connection = connection;
        this.subjectKey = subjectKey;
    }

    /** What one application did. */
    public record Outcome(boolean subjectFound, Map<String, Long> rowsChanged, List<String> warnings) {
        public long total() {
            return rowsChanged.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * The subject's id, found by hashing every key of its table: the ledger holds only the hash.
     * Empty when no row hashes alike (the subject was never in this copy, or its row was deleted).
     */
    public Optional<String> findByHash(ForeignKeyGraph graph, TableName table, String subjectHash) throws SQLException {
        return Optional.ofNullable(findByHashes(graph, table, Set.of(subjectHash)).get(subjectHash));
    }

    /**
     * The ids of every subject of {@code table} whose hash is wanted, by hash, from one pass over the
     * table's keys: re-applying a ledger of many erasures reads each subject table once, not once per erasure.
     */
    public Map<String, String> findByHashes(ForeignKeyGraph graph, TableName table, Set<String> subjectHashes) throws SQLException {
        String key = singleKey(graph, table);
        Map<String, String> found = new HashMap<>();
        try (Statement st = connection.createStatement()) {
            st.setFetchSize(10_000);
            try (ResultSet rs = st.executeQuery("SELECT " + q(key) + "::text FROM " + table.quoted())) {
                while (rs.next() && found.size() < subjectHashes.size()) {
                    String id = rs.getString(1);
                    String hash = subjectKey.hash(table, id);
                    if (subjectHashes.contains(hash)) {
                        found.put(hash, id);
                    }
                }
            }
        }
        return found;
    }

    /** The id as PostgreSQL prints it (what is hashed), or empty when no row has it. */
    public Optional<String> canonicalId(ForeignKeyGraph graph, Subject subject) throws SQLException {
        String key = singleKey(graph, subject.table());
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT " + q(key) + "::text FROM " + subject.table().quoted() + " WHERE " + q(key) + " = ?")) {
            ps.setObject(1, subject.id(), Types.OTHER);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            } catch (SQLException e) {
                throw new CellarException(ErrorCode.USAGE, "'" + subject.id() + "' is not a key of " + subject.table() + ": " + e.getMessage(),
                        "name the subject by its primary key value, for example users:42");
            }
        }
    }

    /** Finds the subject by hash and applies {@code rule} to its rows; nothing changes when it is not there. */
    public Outcome apply(ErasureRule rule, TableName subjectTable, String subjectHash) throws SQLException {
        ForeignKeyGraph graph = ForeignKeyCatalog.read(connection);
        if (!graph.primaryKeys().containsKey(subjectTable)) {
            return new Outcome(false, Map.of(), List.of("table " + subjectTable + " is not in this database"));
        }
        Optional<String> id = findByHash(graph, subjectTable, subjectHash);
        if (id.isEmpty()) {
            return new Outcome(false, Map.of(), List.of());
        }
        return apply(rule, graph, new Subject(subjectTable, id.get()), subjectHash);
    }

    /** Applies {@code rule} to the rows of a subject already found (see {@link #findByHashes}), with {@code graph} read once by the caller. */
    public Outcome apply(ErasureRule rule, ForeignKeyGraph graph, Subject subject, String subjectHash) throws SQLException {
        List<String> warnings = new ArrayList<>();
        Map<TableName, String> keysTables = new HashMap<>();
        // 1. The keys of every row the rule touches, collected before anything changes.
        int n = 0;
        for (SubjectRowQuery query : SubjectRowQueries.plan(graph, subject)) {
            Optional<ErasureRule.TableRule> tableRule = rule.ruleOf(query.table());
            if (query.belongingSql() == null || tableRule.isEmpty()) {
                continue;
            }
            List<String> key = graph.primaryKeys().get(query.table());
            if (key == null) {
                warnings.add("table " + query.table() + " has no primary key: its rows of the subject were left as they are");
                continue;
            }
            String keysTable = "cellar_erasure_keys_" + n++;
            try (PreparedStatement ps = connection.prepareStatement("CREATE TEMP TABLE " + keysTable + " ON COMMIT DROP AS SELECT "
                    + key.stream().map(SubjectErasure::q).collect(Collectors.joining(", ")) + " FROM (" + query.belongingSql() + ") b")) {
                ps.setObject(1, subject.id(), Types.OTHER);
                ps.executeUpdate();
            }
            keysTables.put(query.table(), keysTable);
        }
        for (ErasureRule.TableRule tableRule : rule.tables()) {
            if (!tableExists(tableRule.tableName())) {
                warnings.add("table " + tableRule.tableName() + " of the erasure rule is not in this database");
            }
        }
        // 2. Referencing tables first, so a deleted row is never one a remaining row points at.
        Set<TableName> tables = new TreeSet<>(keysTables.keySet());
        Map<String, Long> changed = new LinkedHashMap<>();
        for (TableName table : graph.deletionOrder(tables).tables()) {
            Optional<TableErasureStatement> statement = TableErasureStatement.of(rule.ruleOf(table).orElseThrow(), columnFacts(table),
                    subjectHash, graph.primaryKeys().get(table), keysTables.get(table), table.equals(subject.table()));
            if (statement.isEmpty()) {
                continue;
            }
            try (PreparedStatement ps = connection.prepareStatement(statement.get().sql())) {
                List<String> parameters = statement.get().parameters();
                for (int i = 0; i < parameters.size(); i++) {
                    ps.setString(i + 1, parameters.get(i));
                }
                changed.put(table.qualified(), (long) ps.executeUpdate());
            }
        }
        // the next subject erased in this transaction collects its keys under the same names
        try (Statement st = connection.createStatement()) {
            for (String keysTable : keysTables.values()) {
                st.execute("DROP TABLE " + keysTable);
            }
        }
        return new Outcome(true, changed, warnings);
    }

    private boolean tableExists(TableName table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private Map<String, ColumnFacts> columnFacts(TableName table) throws SQLException {
        Map<String, ColumnFacts> facts = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(COLUMN_FACTS_SQL)) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int max = rs.getInt(5);
                    Integer maxLength = rs.wasNull() ? null : max;
                    facts.put(rs.getString(1), new ColumnFacts(rs.getString(1), rs.getString(2), rs.getString(3).charAt(0), rs.getBoolean(4),
                            maxLength, rs.getBoolean(6), rs.getBoolean(7)));
                }
            }
        }
        return facts;
    }

    private static String singleKey(ForeignKeyGraph graph, TableName table) {
        List<String> key = graph.primaryKeys().get(table);
        if (key == null || key.size() != 1) {
            throw new CellarException(ErrorCode.USAGE, "table " + table + " has no one-column primary key, so it cannot name a subject",
                    "name the subject by a table the policy lists under subjects:, for example users:42");
        }
        return key.get(0);
    }

    private static String q(String identifier) {
        return SnapshotSession.quoteIdentifier(identifier);
    }
}
