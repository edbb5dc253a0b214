package dev.cellar.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.repo.BackupManifest.TableEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The row count rule of a test restore, on plain data. */
class RestoreTestComparisonTest {

    @Test
    void matchingCountsGiveNoMismatch() {
        List<TableCheck> checks = RowCountComparison.compare(List.of(table("public", "items", 3), table("sales", "orders", 0)),
                Map.of("public.items", 3L, "sales.orders", 0L));

        assertThat(checks).extracting(TableCheck::table).containsExactly("public.items", "sales.orders");
        assertThat(RowCountComparison.mismatches(checks)).isEmpty();
    }

    @Test
    void differentCountIsAMismatchWithBothNumbers() {
        List<TableCheck> checks = RowCountComparison.compare(List.of(table("public", "items", 3), table("public", "users", 5)),
                Map.of("public.items", 2L, "public.users", 5L));

        assertThat(RowCountComparison.mismatches(checks)).containsExactly(new TableCheck("public.items", 3, 2, true));
    }

    @Test
    void tableMissingAfterRestoreIsAMismatchEvenWhenItWasEmpty() {
        List<TableCheck> checks = RowCountComparison.compare(List.of(table("public", "items", 3), table("public", "empty", 0)),
                Map.of("public.items", 3L));

        assertThat(RowCountComparison.mismatches(checks)).containsExactly(new TableCheck("public.empty", 0, -1, false));
    }

    @Test
    void tablesTheBackupDidNotRecordAreIgnored() {
        List<TableCheck> checks = RowCountComparison.compare(List.of(table("public", "items", 1)),
                Map.of("public.items", 1L, "public.created_later", 7L));

        assertThat(checks).containsExactly(new TableCheck("public.items", 1, 1, true));
    }

    private static TableEntry table(String schema, String name, long rows) {
        return new TableEntry(schema, name, rows, false, null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }
}
