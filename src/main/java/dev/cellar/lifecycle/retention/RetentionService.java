package dev.cellar.lifecycle.retention;

import dev.cellar.app.CellarContext;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.lifecycle.TableName;
import dev.cellar.lifecycle.archive.Archiver;
import dev.cellar.lifecycle.archive.RepositoryArchiver;
import dev.cellar.repo.Repository;
import dev.cellar.storage.Retention;
import dev.cellar.lifecycle.graph.ForeignKeyCatalog;
import dev.cellar.lifecycle.graph.ForeignKeyGraph;
import dev.cellar.lifecycle.policy.PolicySource;
import dev.cellar.lifecycle.policy.SchemaColumn;
import dev.cellar.lifecycle.policy.SchemaSnapshot;
import dev.cellar.lifecycle.policy.SchemaSnapshotReader;
import dev.cellar.lifecycle.policy.SchemaTable;
import dev.cellar.pg.PgConnectionSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code cellar retention plan} and {@code apply}: what the policy says is due at an instant, and
 * the archive-then-delete run that removes it. The CLI and the server's retention job call these.
 */
public final class RetentionService {
    private RetentionService() {
    }

    /** The dry run: nothing is written, the temporary tables go with the rolled-back transaction. */
    public static RetentionPlan plan(CellarContext context, Path policyFile, Instant at) {
        PgConnectionSpec target = context.database();
        PolicySource.LoadedPolicy loaded = PolicySource.load(context.config(), target.database(), policyFile);
        try (Connection c = target.connect()) {
            c.setAutoCommit(false);
            try {
                utc(c);
                RetentionRules rules = rules(c, loaded, at);
                RetentionPlanner.computeGoingRows(c, rules);
                return RetentionPlanner.describe(c, rules, loaded.policy(), loaded.source(), target.describe());
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw target.unreachable(e);
        }
    }

    /** Settings of an apply run. */
    public record ApplyOptions(Path policyFile, Instant at, int batchRows, Duration pause, BatchPause pauser) {
    }

    /** Archives the due rows into the repository's archives/, verifies, then deletes them in batches; audited with counts. */
    public static RetentionApplyResult apply(CellarContext context, ApplyOptions options, Clock clock) {
        PolicySource.LoadedPolicy loaded = PolicySource.load(context.config(), context.database().database(), options.policyFile());
        Repository repository = context.openRepository();
        Archiver archiver = new RepositoryArchiver(repository, loaded.policy(), clock, Retention.Mode.COMPLIANCE, loaded.source());
        return apply(context, repository, archiver, loaded, options, clock);
    }

    /** The same with a given archiver; the audit record goes to {@code repository}. */
    static RetentionApplyResult apply(CellarContext context, Repository repository, Archiver archiver, PolicySource.LoadedPolicy loaded,
                                      ApplyOptions options, Clock clock) {
        PgConnectionSpec target = context.database();
        Instant started = clock.instant();
        String runId = "retention-" + started.toString().replace(":", "").replace("-", "").replaceAll("\\.\\d+", "");
        try (Connection c = target.connect()) {
            utc(c);
            RetentionRules rules = rules(c, loaded, options.at());
            RetentionApplier applier = new RetentionApplier(c, rules,
                    new RetentionApplier.ApplySettings(options.batchRows(), options.pause(), options.pauser()));
            Archiver.ArchiveReceipt receipt = applier.archive(archiver, target.database(), runId);
            long[] batches = {0};
            var tables = applier.deleteInBatches(receipt, batches);
            RetentionApplyResult result = new RetentionApplyResult(runId, target.describe(), options.at(), receipt.archiveId(), tables,
                    batches[0], Duration.between(started, clock.instant()));
            repository.audit().append("retention apply", target.describe(), "ok", "run " + runId + " archive " + receipt.archiveId()
                    + " deleted " + result.deleted() + " skipped " + result.skipped() + " per table " + tables, 0, result.duration());
            return result;
        } catch (SQLException e) {
            CellarException failure = target.unreachable(e);
            repository.audit().appendFailure("retention apply", target.describe(), "run " + runId, Duration.between(started, clock.instant()), failure);
            throw failure;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CellarException(ErrorCode.INTERRUPTED, "retention run " + runId + " was interrupted between batches",
                    "run it again: it recomputes what is still due and finishes");
        } catch (RuntimeException e) {
            repository.audit().appendFailure("retention apply", target.describe(), "run " + runId, Duration.between(started, clock.instant()), e);
            throw e;
        }
    }

    static RetentionRules rules(Connection c, PolicySource.LoadedPolicy loaded, Instant at) {
        ForeignKeyGraph graph = ForeignKeyCatalog.read(c);
        SchemaSnapshot schema = SchemaSnapshotReader.read(c);
        Map<TableName, Set<String>> nullable = new HashMap<>();
        for (SchemaTable table : schema.tables()) {
            nullable.put(table.name(), table.columns().stream().filter(SchemaColumn::nullable).map(SchemaColumn::name).collect(Collectors.toSet()));
        }
        return RetentionRules.derive(loaded.policy(), graph, at, RetentionRules.fromSchema(nullable));
    }

    /** Dates are compared as UTC whatever the server's TimeZone, so plan and apply agree from any host. */
    private static void utc(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
        }
    }
}
