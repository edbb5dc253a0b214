package dev.cellar.lifecycle.portability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cellar.app.CellarContext;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.lifecycle.SubjectKey;
import dev.cellar.lifecycle.graph.ForeignKeyCatalog;
import dev.cellar.lifecycle.graph.ForeignKeyGraph;
import dev.cellar.lifecycle.graph.Subject;
import dev.cellar.lifecycle.graph.SubjectRowQueries;
import dev.cellar.lifecycle.graph.SubjectRowQuery;
import dev.cellar.lifecycle.policy.PolicySource;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.repo.AuditRecord;
import dev.cellar.repo.Repository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code cellar gdpr export}: every row of the configured database that concerns one data subject
 * (the rows the foreign-key graph says belong to it, every column of them), read in one REPEATABLE
 * READ READ ONLY transaction so that the tables agree with each other, written as one JSON
 * document with its JSON Schema or as one CSV file per table. docs/gdpr.md (portability export) explains it.
 */
public final class PortabilityExportService {
    public static final String AUDIT_OPERATION = "gdpr-export";
    static final String DOCUMENT = "export.json";
    static final String SCHEMA = "export.schema.json";
    /** PostgreSQL's SQLSTATE for a value that does not parse as the key's type ('abc' for a bigint). */
    private static final String INVALID_TEXT_REPRESENTATION = "22P02";

    private PortabilityExportService() {
    }

    /**
     * @param subject    {@code users:42}
     * @param output     the folder to write to; null sends the JSON document to the result (for stdout)
     * @param policyFile the data policy file given on the command line, or null for the configured one
     */
    public record ExportRequest(String subject, ExportFormat format, Path output, Path policyFile) {
    }

    /**
     * Exports the subject. When a repository is configured, the export is recorded in its audit
     * trail as {@value #AUDIT_OPERATION}, naming the subject only by its {@link SubjectKey} hash:
     * the trail says who exported whose data and when, without holding the person's id.
     */
    public static PortabilityExportResult export(CellarContext context, ExportRequest request) {
        Subject subject = Subject.parse(request.subject());
        if (request.output() == null && request.format() == ExportFormat.CSV) {
            throw new CellarException(ErrorCode.USAGE, "the CSV form is one file per table and needs a folder",
                    "add --output FOLDER, for example --output export-" + subject.table().name() + "-" + subject.id() + "/");
        }
        if (request.output() != null) {
            ExportFolder.checkUsable(request.output());
        }
        String policySource = PolicySource.load(context.config(), context.config().database().name(), request.policyFile()).source();
        Clock clock = context.hostClock();
        // opened first: an export that cannot be recorded is not made
        Repository repository = context.config().repositories().isEmpty() ? null : context.openRepository();
        if (repository == null) {
            context.warnings().warn("no repository is configured, so this export is not recorded in an audit trail; "
                    + "configure repository.path to keep a record of who exported whose data");
        }
        SubjectKey subjectKey = repository == null ? null : SubjectKey.of(repository);
        // until the row is read, the id as given: a failure is recorded under it
        String auditTarget = repository == null ? null : "subject " + subjectKey.hash(subject);
        Instant started = clock.instant();
        try {
            PortabilityExport export = read(context.database(), subject, policySource, clock);
            if (repository != null) {
                auditTarget = "subject " + subjectKey.hash(subject.table(), export.storedId());
            }
            PortabilityExportResult result = write(export, request, auditTarget);
            if (repository != null) {
                // no folder name in the record: it often carries the subject's id (export-42/)
                repository.audit().appendForReading(AUDIT_OPERATION, auditTarget, AuditRecord.OK, request.format().name().toLowerCase(Locale.ROOT)
                        + (request.output() == null ? " to stdout, " : " to a folder, ") + result.tables().size() + " tables, " + result.rows()
                        + " rows, " + policySource, 0, Duration.between(started, clock.instant()));
            }
            return result;
        } catch (CellarException e) {
            if (repository != null) {
                // the error code only: the message names the subject
                repository.audit().appendFailureForReading(AUDIT_OPERATION, auditTarget, e.code().name(), Duration.between(started, clock.instant()), e);
            }
            throw e;
        }
    }

    /** Reads the subject's rows from one snapshot; fails with NOT_FOUND, before anything is written, when the subject has no row. */
    static PortabilityExport read(PgConnectionSpec target, Subject subject, String policySource, Clock clock) {
        try (Connection c = target.connect()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                // the text forms JsonValues expects, whatever the role or database defaults say
                st.execute("SET LOCAL TimeZone = 'UTC'");
                st.execute("SET LOCAL DateStyle = 'ISO, YMD'");
                st.execute("SET LOCAL IntervalStyle = 'iso_8601'");
                st.execute("SET LOCAL bytea_output = 'hex'");
                st.execute("SET LOCAL extra_float_digits = 1");
            }
            try {
                return readInSnapshot(c, target, subject, policySource, clock);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            if (INVALID_TEXT_REPRESENTATION.equals(e.getSQLState())) {
                throw new CellarException(ErrorCode.USAGE, "'" + subject.id() + "' is not a valid key of " + subject.table() + ": "
                        + e.getMessage(), "give the subject's primary key value, for example users:42");
            }
            // connect() reports its own failures; this is a query that failed on a connection that worked
            throw new CellarException(ErrorCode.DATABASE_UNREACHABLE, "cannot read the rows of " + subject + " from " + target.describe()
                    + ": " + e.getMessage(), "Cellar's role needs SELECT on every table that references the subject's table; "
                    + "nothing was written", e);
        }
    }

    private static PortabilityExport readInSnapshot(Connection c, PgConnectionSpec target, Subject subject, String policySource, Clock clock)
            throws SQLException {
        ForeignKeyGraph graph = ForeignKeyCatalog.read(c);
        List<SubjectRowQuery> queries = SubjectRowQueries.plan(graph, subject).stream().filter(q -> q.belongingSql() != null).toList();
        List<ExportedTable> tables = new ArrayList<>();
        // the subject's own table first: when it has no row, nothing else is read
        SubjectRowQuery own = queries.stream().filter(q -> q.table().equals(subject.table())).findFirst().orElseThrow();
        ExportedTable ownRows = table(c, graph, own, subject);
        if (ownRows.rows().isEmpty()) {
            throw new CellarException(ErrorCode.NOT_FOUND, "subject " + subject + " not found: " + subject.table() + " has no row with key "
                    + subject.id() + " in " + target.describe(), "check the id and the database (-d); nothing was written");
        }
        for (SubjectRowQuery query : queries) {
            tables.add(query == own ? ownRows : table(c, graph, query, subject));
        }
        String keyColumn = graph.primaryKeys().get(subject.table()).get(0);
        int key = ownRows.columns().stream().map(ExportColumn::name).toList().indexOf(keyColumn);
        String storedId = CsvFields.text(ownRows.rows().get(0).get(key));
        return new PortabilityExport(subject.toString(), storedId, target.describe(), clock.instant(), policySource, tables);
    }

    private static ExportedTable table(Connection c, ForeignKeyGraph graph, SubjectRowQuery query, Subject subject) throws SQLException {
        List<ExportColumn> columns = ExportColumnReader.read(c, query.table());
        List<String> key = graph.primaryKeys().getOrDefault(query.table(), List.of());
        return new ExportedTable(query.table(), columns, SubjectRowReader.read(c, query.belongingSql(), columns, key, subject.id()));
    }

    private static PortabilityExportResult write(PortabilityExport export, ExportRequest request, String auditTarget) {
        List<PortabilityExportResult.TableCount> counts = export.tables().stream()
                .map(t -> new PortabilityExportResult.TableCount(t.exportName(), t.rows().size())).toList();
        ObjectNode document = request.format() == ExportFormat.JSON ? ExportDocument.of(export) : null;
        List<Path> files = new ArrayList<>();
        if (request.output() != null) {
            ExportFolder folder = ExportFolder.create(request.output());
            if (request.format() == ExportFormat.JSON) {
                files.add(folder.write(DOCUMENT, pretty(document)));
                files.add(folder.write(SCHEMA, pretty(ExportSchema.of(export))));
                document = null;
            } else {
                files.addAll(CsvExportWriter.write(export, folder));
            }
        }
        return new PortabilityExportResult(export.subject(), export.database(), request.format(), export.exportedAt(), export.policySource(),
                request.output() == null ? null : request.output().toString(), counts, export.rowCount(),
                files.stream().map(Path::toString).toList(), auditTarget, document);
    }

    /** The JSON document or schema as written to a file or stdout: indented, ending with a newline. */
    public static byte[] pretty(ObjectNode json) {
        try {
            return (JsonValues.EXACT.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the export as JSON", e);
        }
    }
}
