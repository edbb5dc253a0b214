package dev.cellar.drill.check;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the invariants of a check set on the restored copy, each under the set's statement
 * timeout, each in its own statement so that one failing (a renamed column) does not hide the rest.
 */
final class InvariantCheck {

    private InvariantCheck() {
    }

    static List<CheckResult> run(Connection c, CheckSet set) {
        List<CheckResult> results = new ArrayList<>();
        for (Invariant invariant : set.invariants()) {
            results.add(one(c, invariant, set.statementTimeout(), set.source()));
        }
        return results;
    }

    private static CheckResult one(Connection c, Invariant invariant, Duration timeout, String source) {
        try (Statement st = c.createStatement()) {
            StatementTimeout.set(st, timeout);
            try (ResultSet rs = st.executeQuery(invariant.sql())) {
                return outcome(rs, invariant).verdict(invariant);
            } finally {
                StatementTimeout.reset(st);
            }
        } catch (SQLException e) {
            return CheckResult.failed("invariant", invariant.name(), invariant.name() + " could not run (" + invariant.description()
                    + "): " + StatementTimeout.describe(e, timeout) + " (check set " + source + " line " + invariant.line() + ")");
        }
    }

    private static InvariantOutcome outcome(ResultSet rs, Invariant invariant) throws SQLException {
        if (invariant.returns() == Invariant.Returns.VERDICT) {
            return InvariantOutcome.ofVerdict(rs.next() ? rs.getString(1) : null);
        }
        long rows = 0;
        List<String> samples = new ArrayList<>();
        while (rs.next()) {
            if (rows++ < InvariantOutcome.SAMPLES) {
                samples.add(String.valueOf(rs.getString(1)));
            }
        }
        return new InvariantOutcome(rows, samples);
    }
}
