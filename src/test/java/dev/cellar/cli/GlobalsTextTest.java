package dev.cellar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.restore.GlobalsReport;
import java.util.List;
import org.junit.jupiter.api.Test;

class GlobalsTextTest {

    @Test
    void everySkippedStatementIsPrintedOnItsOwnLine() {
        GlobalsReport report = new GlobalsReport(true, List.of(), List.of(), List.of("COMMENT ON DATABASE \"d\" IS 'x';"),
                List.of("ALTER TABLE app.t OWNER TO alice;", "GRANT SELECT(id) ON TABLE app.t TO bob;"), List.of("roles were missing"));

        assertThat(GlobalsText.of(report).lines()).containsSubsequence(
                "database owner, settings, ACL and comment:", "  COMMENT ON DATABASE \"d\" IS 'x';",
                "skipped by --no-owner (2 ownerships and grants):", "  ALTER TABLE app.t OWNER TO alice;",
                "  GRANT SELECT(id) ON TABLE app.t TO bob;", "note: roles were missing");
    }

    @Test
    void aRestoreWithoutGlobalsAddsNothing() {
        assertThat(GlobalsText.of(GlobalsReport.none())).isEmpty();
    }
}
