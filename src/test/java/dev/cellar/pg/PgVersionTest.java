package dev.cellar.pg;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgVersionTest {

    @Test
    void parsesProgramVersionOutput() {
        assertThat(PgVersion.parse("pg_dump (PostgreSQL) 15.18")).isEqualTo(new PgVersion(15, 18));
        assertThat(PgVersion.parse("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n"))
                .isEqualTo(new PgVersion(15, 18));
    }

    @Test
    void parsesServerVersionSetting() {
        assertThat(PgVersion.parse("15.18 (Debian 15.18-0+deb12u1)")).isEqualTo(new PgVersion(15, 18));
    }

    @Test
    void readsDevelopmentBuildAsMinorZero() {
        assertThat(PgVersion.parse("16devel")).isEqualTo(new PgVersion(16, 0));
        assertThat(PgVersion.parse("postgres (PostgreSQL) 17beta2")).isEqualTo(new PgVersion(17, 0));
    }

    @Test
    void keepsReleaseSeriesOfOldVersions() {
        assertThat(PgVersion.parse("9.6.24")).isEqualTo(new PgVersion(9, 6));
    }

    @Test
    void rejectsTextWithoutVersion() {
        assertThatThrownBy(() -> PgVersion.parse("command not found"))
                .isInstanceOf(CellarException.class)
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.EXTERNAL_TOOL_FAILED))
                .hasMessageContaining("command not found");
    }

    @Test
    void convertsServerVersionNum() {
        assertThat(PgVersion.fromServerVersionNum(150018)).isEqualTo(new PgVersion(15, 18));
        assertThat(PgVersion.fromServerVersionNum(100001)).isEqualTo(new PgVersion(10, 1));
        assertThat(PgVersion.fromServerVersionNum(90624)).isEqualTo(new PgVersion(9, 6));
    }

    @Test
    void printsMajorDotMinor() {
        assertThat(new PgVersion(15, 18)).hasToString("15.18");
        assertThat(PgVersion.fromServerVersionNum(90624)).hasToString("9.6");
    }

    @Test
    void ordersNumericallyNotAlphabetically() {
        assertThat(new PgVersion(15, 2)).isLessThan(new PgVersion(15, 18));
        assertThat(new PgVersion(9, 6)).isLessThan(new PgVersion(10, 0));
        assertThat(new PgVersion(16, 0)).isGreaterThan(new PgVersion(15, 18));
    }

    @Test
    void seriesIgnoresMinorFromTenOn() {
        assertThat(new PgVersion(15, 18).series()).isEqualTo(new PgVersion(15, 0));
        assertThat(new PgVersion(9, 6).series()).isEqualTo(new PgVersion(9, 6));
        assertThat(new PgVersion(9, 5).series()).isLessThan(new PgVersion(9, 6).series());
    }
}
