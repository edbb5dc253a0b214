package dev.cellar.server.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SizeDeviationConditionTest {
    private static final Instant T = Instant.parse("2027-03-10T02:30:00Z");
    private static final AlertThresholds DEFAULTS = AlertThresholds.defaults();

    /** Daily backups of the given sizes, the last one newest. */
    private static List<BackupSize> daily(String database, String kind, long... sizes) {
        List<BackupSize> backups = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            backups.add(new BackupSize(database, kind, database + "-" + i, T.minus(Duration.ofDays(sizes.length - 1 - i)), sizes[i]));
        }
        return backups;
    }

    private static List<Finding> judge(List<BackupSize> backups) {
        return new SizeDeviationCondition().findings(AlertInputs.at(T).withBackupSizes(backups), DEFAULTS);
    }

    @Test
    void thirtyPercentSmallerThanTheMedianIsReported() {
        assertThat(judge(daily("restaurant_ordering", "logical", 1000, 1010, 990, 1000, 700))).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("size-deviation:restaurant_ordering:logical");
            assertThat(f.summary()).isEqualTo("logical backup of restaurant_ordering is 30% smaller than usual");
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
        });
    }

    @Test
    void exactlyTwentyPercentIsWithinTheBoundAndJustOverIsNot() {
        assertThat(judge(daily("db", "logical", 1000, 1000, 1000, 800))).isEmpty();
        assertThat(judge(daily("db", "logical", 1000, 1000, 1000, 1200))).isEmpty();
        assertThat(judge(daily("db", "logical", 1000, 1000, 1000, 799))).hasSize(1);
        assertThat(judge(daily("db", "logical", 1000, 1000, 1000, 1201))).singleElement()
                .satisfies(f -> assertThat(f.summary()).contains("larger"));
    }

    @Test
    void theMedianIgnoresOneOddEarlierBackupAndOnlyTheLastSevenCount() {
        // a median, not a mean: the one 10x backup among the earlier ones does not hide a normal one
        assertThat(judge(daily("db", "logical", 1000, 1000, 10000, 1000, 1000, 1000))).isEmpty();
        // the eighth and older backups (tiny) are not among the seven comparable ones
        assertThat(judge(daily("db", "logical", 10, 10, 10, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000))).isEmpty();
        assertThat(SizeDeviationCondition.median(new long[] {4, 1, 3, 2})).isEqualTo(2.5);
    }

    @Test
    void onlyBackupsOfTheSameDatabaseAndKindAreCompared() {
        List<BackupSize> backups = new ArrayList<>(daily("db", "logical", 1000, 1000, 1000, 1000));
        backups.addAll(daily("db", "physical-full", 5000, 5000, 5000, 5000));
        backups.addAll(daily("other", "logical", 100, 100, 100, 100));
        assertThat(judge(backups)).isEmpty();
    }

    @Test
    void tooFewEarlierBackupsAreNotJudged() {
        assertThat(judge(daily("db", "logical", 1000, 1000, 100))).isEmpty();
        assertThat(judge(daily("db", "logical", 1000, 1000, 1000, 100))).hasSize(1);
    }

    @Test
    void aNormalBackupAfterAnOddOneResolves() {
        assertThat(judge(daily("db", "logical", 1000, 1000, 1000, 1000, 700, 1000))).isEmpty();
    }
}
