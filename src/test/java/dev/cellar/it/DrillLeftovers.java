package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What a drill must never leave behind, whatever happened: checked after every drill of the drill tests. */
final class DrillLeftovers {
    private DrillLeftovers() {
    }

    /** No folder in the drill's work dir, no server running on one, no scratch database on the source server. */
    static void assertNone(LocalCluster source, Path workDir) throws IOException, SQLException {
        if (Files.exists(workDir)) {
            try (Stream<Path> left = Files.list(workDir)) {
                assertThat(left.toList()).as("folders left in the drill work dir").isEmpty();
            }
        }
        String processes = ProcessRunner.run(List.of("ps", "-eo", "args"), Map.of(), null).stdout();
        assertThat(processes.lines().filter(l -> l.contains("postgres") && l.contains(workDir.toString())).toList())
                .as("servers on a scratch cluster").isEmpty();
        try (Connection c = source.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT string_agg(datname, ',') FROM pg_database WHERE datname LIKE 'cellar_%'")) {
            rs.next();
            assertThat(rs.getString(1)).as("scratch databases on the source server").isNull();
        }
    }
}
