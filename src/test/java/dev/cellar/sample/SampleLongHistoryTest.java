package dev.cellar.sample;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Eight years of history hold rows for every retention rule of the shipped policy. */
class SampleLongHistoryTest {
    private static final LocalDate END = SampleSpec.DEFAULT_END_DATE;
    private static final SampleWorld EIGHT_YEARS = SampleWorld.of(new SampleSpec(1, SampleSpec.DEFAULT_SEED, END, 8));
    private static final DateTimeFormatter PG_TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssX");

    private static List<String[]> rows(TableRows table) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RowWriter out = new RowWriter((data, length) -> bytes.write(data, 0, length));
        table.writeTo(out);
        out.close();
        return Arrays.stream(bytes.toString(StandardCharsets.UTF_8).split("\n")).map(line -> line.split("\t", -1)).toList();
    }

    private static LocalDate day(String timestamp) {
        return OffsetDateTime.parse(timestamp, PG_TIMESTAMP).toLocalDate();
    }

    @Test
    void historyStartsEightYearsBeforeTheEnd() {
        assertThat(EIGHT_YEARS.spec().startDate()).isEqualTo(LocalDate.of(2018, 11, 1));
        List<String[]> orders = rows(new OrderRows(new OrderHistory(EIGHT_YEARS)));
        assertThat(day(orders.get(0)[1])).isBefore(END.minusYears(7));
        List<String[]> payments = rows(new PaymentRows(new OrderHistory(EIGHT_YEARS), 1));
        assertThat(payments.stream().filter(p -> day(p[p.length - 1]).isBefore(END.minusYears(7))).count()).isGreaterThan(100);
        List<String[]> audit = rows(new AuditLogRows(EIGHT_YEARS));
        assertThat(day(audit.get(0)[1])).isBefore(END.minusYears(7).plusMonths(1));
        assertThat(day(audit.get(audit.size() - 1)[1])).isAfter(END.minusDays(2));
    }

    @Test
    void someUsersLapsedMoreThanTwoYearsAgo() {
        long lapsed = rows(new UserRows(EIGHT_YEARS)).stream().filter(u -> day(u[9]).isBefore(END.minusYears(2))).count();
        assertThat(lapsed).isBetween(20L, 300L);
    }

    @Test
    void someEmployeesLeftMoreThanSevenYearsAgo() {
        List<String[]> employees = rows(new EmployeeRows(EIGHT_YEARS));
        long left = employees.stream().filter(e -> !e[8].equals("\\N")).count();
        long longGone = employees.stream().filter(e -> !e[8].equals("\\N") && LocalDate.parse(e[8]).isBefore(END.minusYears(7))).count();
        assertThat(left).isGreaterThan(longGone);
        assertThat(longGone).isPositive();
    }

    @Test
    void someStockWasLastCountedYearsAgoOnlyInALongHistory() {
        long dormant = rows(new InventoryRows(EIGHT_YEARS)).stream().filter(i -> day(i[4]).isBefore(END.minusYears(3))).count();
        assertThat(dormant).isPositive();
        SampleWorld threeYears = SampleWorld.of(new SampleSpec(1, SampleSpec.DEFAULT_SEED, END));
        assertThat(rows(new InventoryRows(threeYears)).stream().filter(i -> day(i[4]).isBefore(END.minusDays(8)))).isEmpty();
    }

    @Test
    void historyOutsideOneToFifteenYearsIsRefused() {
        assertThatThrownBy(() -> new SampleSpec(1, 1, END, 0)).hasMessageContaining("1 to 15 years");
        assertThatThrownBy(() -> new SampleSpec(1, 1, END, 16)).hasMessageContaining("1 to 15 years");
    }
}
