package dev.cellar.lifecycle.policy;

import java.util.List;

/** What checking a policy against a live database found: the CLI prints it, the API would serialise it. */
public record PolicyCheckResult(String policy, String database, int tablesRead, List<PolicyFinding> findings) {
    public PolicyCheckResult {
        findings = List.copyOf(findings);
    }

    /** True when the policy fits the database. */
    public boolean clean() {
        return findings.isEmpty();
    }
}
