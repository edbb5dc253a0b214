package dev.cellar.lifecycle.policy;

import dev.cellar.lifecycle.graph.ForeignKeyCatalog;
import dev.cellar.lifecycle.graph.ForeignKeyGraph;
import dev.cellar.pg.PgConnectionSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/** Reads a policy and the live schema of a database, and checks the one against the other. */
public final class PolicyCheckService {
    private PolicyCheckService() {
    }

    /** Checks the policy in {@code policyFile}, or the shipped restaurant_ordering policy when it is null. */
    public static PolicyCheckResult check(PgConnectionSpec target, Path policyFile) {
        DataPolicy policy = policyFile == null ? DataPolicyParser.restaurantOrdering() : DataPolicyParser.parse(policyFile);
        String source = policyFile == null ? "restaurant_ordering (shipped)" : policyFile.toString();
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
