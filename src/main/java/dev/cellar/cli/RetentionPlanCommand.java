package dev.cellar.cli;

import dev.cellar.lifecycle.retention.RetentionPlan;
import dev.cellar.lifecycle.retention.RetentionService;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "plan", description = {"Dry run of retention: per category and table, the rows past their retention at --at, "
        + "the rows that would go, the rows held back because rows not yet due still reference them (and by which table), "
        + "and the order in which tables are emptied (children first).",
        "Writes nothing: the work happens in a transaction that is rolled back. docs/data-lifecycle.md explains each line."},
        footer = {"", "Examples:",
                "  cellar retention plan -d restaurant_ordering",
                "  cellar retention plan -d restaurant_ordering --at 2027-01-01T00:00:00Z",
                "  cellar retention plan --policy shop.yaml -d shop --json"})
final class RetentionPlanCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;
    @Mixin
    DatabaseOptions database;

    @Mixin
    PolicyOption policy;

    @Option(names = "--at", paramLabel = "INSTANT", description = "The moment to judge retention at, UTC, e.g. 2027-01-01T00:00:00Z (default: now).")
    Instant at;

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, database)) {
            RetentionPlan plan = RetentionService.plan(context.app(), policy.file, at != null ? at : context.hostClock().instant());
            new Output(System.out, common.json).result(plan, render(plan));
        }
        return 0;
    }

    static String render(RetentionPlan plan) {
        StringBuilder text = new StringBuilder();
        text.append("retention plan of ").append(plan.database()).append(" at ").append(plan.at()).append(" (policy ")
                .append(plan.policy()).append("): ").append(String.format(Locale.ROOT, "%,d", plan.going())).append(" rows would go\n");
        for (RetentionPlan.CategoryPlan category : plan.categories()) {
            text.append(category.category()).append(" (").append(category.retention()).append(", on-conflict ")
                    .append(category.onConflict()).append(")\n");
            for (RetentionPlan.TablePlan table : category.tables()) {
                text.append(String.format(Locale.ROOT, "  %-22s due %,9d  going %,9d  held %,9d", table.table(), table.due(),
                        table.going(), table.held()));
                if (table.detached() > 0) {
                    text.append(String.format(Locale.ROOT, "  detached %,d", table.detached()));
                }
                text.append("   dated by ").append(table.datedBy()).append('\n');
                for (RetentionPlan.Hold hold : table.holds()) {
                    text.append(String.format(Locale.ROOT, "    held %,d: %s (%s, ON DELETE %s)%n", hold.rows(), hold.reason(),
                            hold.constraint(), hold.onDelete()));
                }
            }
        }
        text.append("deletion order: ").append(String.join(", ", plan.deletionOrder())).append('\n');
        return text.toString();
    }
}
