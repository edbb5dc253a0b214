package dev.cellar.lifecycle.policy;

import dev.cellar.lifecycle.graph.ForeignKeyCatalog;
import dev.cellar.lifecycle.graph.ForeignKeyGraph;
import dev.cellar.pg.PgConnectionSpec;
import java.sql.Connection;
import java.sql.SQLException;

/** Reads a policy and the live schema of a database, and checks the one against the other. */
public final class PolicyCheckService {
    private PolicyCheckService() {
    }

    /** Checks the policy found by {@link PolicySource} (the one archives, retention and erasure follow) against the live schema. */
    public static PolicyCheckResult check(PgConnectionSpec target, PolicySource.LoadedPolicy loaded) {
        DataPolicy policy = loaded.policy();
        String source = loaded.source();
        SchemaSnapshot schema;
        ForeignKeyGraph graph;
        try (Connection c = target.connect()) {
            schema = SchemaSnapshotReader.read(c);
            graph = ForeignKeyCatalog.read(c);
        } catch (SQLException e) {
            throw target.unreachable(e);
        }
        return new PolicyCheckResult(source, target.describe(), schema.tables().size(), PolicySchemaCheck.check(policy, schema, graph));
    }
}
