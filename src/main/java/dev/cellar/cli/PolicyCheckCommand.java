package dev.cellar.cli;

import dev.cellar.error.ErrorCode;
import dev.cellar.lifecycle.policy.PolicyCheckResult;
import dev.cellar.lifecycle.policy.PolicyCheckService;
import dev.cellar.lifecycle.policy.PolicyFinding;
import dev.cellar.lifecycle.policy.PolicySource;
import dev.cellar.pg.PgConnectionSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "check", description = {"Check a data policy file against the live database: unknown tables and columns, "
        + "dating columns that are not dates or not reachable through a foreign key, erasure that would null a NOT NULL "
        + "column, and tables that look like they hold personal data but no category covers.",
        "Reads only pg_catalog. Exits 0 when the policy fits, 3 when there are findings or the file is invalid. "
                + "See docs/data-policy.md for each finding and what to do."},
        footer = {"", "Examples:",
                "  cellar policy check -d restaurant_ordering          # database.policy, else the shipped policy",
                "  cellar policy check --policy shop.yaml -d shop      # your own policy",
                "  cellar policy check --policy shop.yaml -d shop --json"})
final class PolicyCheckCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    CommonOptions common;
    @Mixin
    DatabaseOptions database;

    @Mixin
    PolicyOption policy;

    @Override
    public Integer call() {
        PgConnectionSpec target;
        PolicySource.LoadedPolicy loaded;
        try (CommandContext context = CommandContext.load(common, database)) {
            target = context.database();
            loaded = PolicySource.load(context.config(), target.database(), policy.file);
        }
        PolicyCheckResult result = PolicyCheckService.check(target, loaded);
        new Output(System.out, common.json).result(result, render(result));
        return result.clean() ? 0 : ErrorCode.CONFIG_INVALID.exitCode();
    }

    private static String render(PolicyCheckResult result) {
        StringBuilder text = new StringBuilder();
        text.append("policy ").append(result.policy()).append(" against ").append(result.database())
                .append(" (").append(result.tablesRead()).append(" tables): ");
        if (result.clean()) {
            return text.append("no finding\n").toString();
        }
        text.append(result.findings().size()).append(result.findings().size() == 1 ? " finding\n" : " findings\n");
        for (PolicyFinding finding : result.findings()) {
            text.append("  ").append(finding.kind()).append("  ").append(finding.keyPath()).append(": ")
                    .append(finding.message()).append('\n');
        }
        return text.toString();
    }
}
