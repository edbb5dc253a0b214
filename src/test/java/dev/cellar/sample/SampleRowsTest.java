package dev.cellar.sample;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class SampleRowsTest {
    private static final SampleSpec SPEC = new SampleSpec(1, 42, LocalDate.of(2026, 10, 31));
    private static final SampleSpec OTHER_SEED = new SampleSpec(1, 43, LocalDate.of(2026, 10, 31));

    /** Formats a whole table; keeps a digest of everything and the first lines for readable failures. */
    private record Generated(String digest, List<String> firstLines, long rows) {
        static Generated of(TableRows table) throws Exception {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            StringBuilder head = new StringBuilder();
            RowWriter out = new RowWriter((data, length) -> {
                sha.update(data, 0, length);
                if (head.length() < 4096) {
                    head.append(new String(data, 0, Math.min(length, 4096), StandardCharsets.UTF_8));
                }
            });
            table.writeTo(out);
            out.close();
            List<String> lines = new ArrayList<>(Arrays.asList(head.toString().split("\n", -1)));
            return new Generated(HexFormat.of().formatHex(sha.digest()), lines.subList(0, Math.min(20, lines.size() - 1)),
                    out.rows());
        }
    }

    private static final List<Function<SampleWorld, TableRows>> TABLES = List.of(
            CafeRows::new, MenuItemRows::new, InventoryRows::new, EmployeeRows::new, UserRows::new,
            UserActivityRows::history, w -> new OrderRows(new OrderHistory(w)),
            w -> new OrderItemRows(new OrderHistory(w), 1), w -> new PaymentRows(new OrderHistory(w), 1),
            AuditLogRows::new);

    @Test
    void sameSpecGeneratesIdenticalRows() throws Exception {
        for (Function<SampleWorld, TableRows> table : TABLES) {
            Generated first = Generated.of(table.apply(SampleWorld.of(SPEC)));
            Generated second = Generated.of(table.apply(SampleWorld.of(SPEC)));
            assertThat(first.rows()).isPositive();
            assertThat(second.firstLines()).isEqualTo(first.firstLines());
            assertThat(second.digest()).as(table.apply(SampleWorld.of(SPEC)).table()).isEqualTo(first.digest());
        }
    }

    @Test
    void replayingTheSameGeneratorRepeatsItself() throws Exception {
        TableRows activity = UserActivityRows.history(SampleWorld.of(SPEC));
        assertThat(Generated.of(activity).digest()).isEqualTo(Generated.of(activity).digest());
    }

    @Test
    void anotherSeedGeneratesOtherRows() throws Exception {
        for (Function<SampleWorld, TableRows> table : TABLES) {
            Generated a = Generated.of(table.apply(SampleWorld.of(SPEC)));
            Generated b = Generated.of(table.apply(SampleWorld.of(OTHER_SEED)));
            assertThat(b.digest()).as(table.apply(SampleWorld.of(SPEC)).table()).isNotEqualTo(a.digest());
        }
    }

    @Test
    void rowCountsFollowTheScale() throws Exception {
        SampleWorld world = SampleWorld.of(new SampleSpec(2, 42, SampleSpec.DEFAULT_END_DATE));
        assertThat(Generated.of(new OrderRows(new OrderHistory(world))).rows()).isEqualTo(2 * SampleVolumes.ORDERS_PER_UNIT);
        assertThat(Generated.of(UserActivityRows.history(world)).rows()).isEqualTo(2 * SampleVolumes.USER_ACTIVITY_PER_UNIT);
        assertThat(Generated.of(new AuditLogRows(world)).rows()).isEqualTo(2 * SampleVolumes.AUDIT_LOGS_PER_UNIT);
        assertThat(Generated.of(new UserRows(world)).rows()).isEqualTo(2L * SampleVolumes.USERS_PER_UNIT);
    }

    @Test
    void dailyCountsAddUpExactly() {
        int[] counts = DailyCounts.spread(7_777, LocalDate.of(2024, 1, 1).toEpochDay(), 1000);
        assertThat(Arrays.stream(counts).sum()).isEqualTo(7_777);
        assertThat(Arrays.stream(counts).min().orElseThrow()).isNotNegative();
        assertThat(counts[999]).isGreaterThan(counts[0]);
    }

    @Test
    void rowWriterEscapesCopyTextFormat() throws Exception {
        StringBuilder text = new StringBuilder();
        try (RowWriter out = new RowWriter((data, length) -> text.append(new String(data, 0, length, StandardCharsets.UTF_8)))) {
            out.text("a\tb\\c\nd").nul().money(-1205).money(7).timestamp(0).bytea(new byte[]{(byte) 0xFF, 0x01}).endRow();
        }
        assertThat(text).hasToString("a\\tb\\\\c\\nd\t\\N\t-12.05\t0.07\t1970-01-01 00:00:00+00\t\\\\xff01\n");
    }
}
