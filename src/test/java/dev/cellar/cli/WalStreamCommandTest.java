package dev.cellar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.wal.StreamStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class WalStreamCommandTest {

    @Test
    void helpNamesTheOptionsAndTheSlotRisk() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandLine commandLine = new CommandLine(new WalStreamCommand());
        commandLine.setOut(new java.io.PrintWriter(out, true, StandardCharsets.UTF_8));
        assertThat(commandLine.execute("--help")).isZero();
        String help = out.toString(StandardCharsets.UTF_8);
        assertThat(help).contains("--slot", "--create-slot", "--spool", "--status-interval", "--json", "pg_drop_replication_slot");
    }

    @Test
    void aNegativeStatusIntervalIsAUsageError() {
        CommandLine commandLine = new CommandLine(new WalStreamCommand()).setExecutionExceptionHandler(new ErrorReporter());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        commandLine.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        assertThat(commandLine.execute("--status-interval", "-1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--status-interval");
    }

    @Test
    void statusLineSaysWhatIsReceivedShippedAndHowFarBehind() {
        StreamStatus status = new StreamStatus(Instant.parse("2024-05-01T12:00:00Z"), "streaming", "cellar", "0/5000100", "0/5000100",
                "0/5000000", "000000010000000000000004", "000000010000000000000005.partial", 0L, 256L, 0.4, 2, 4, 17, 95, null);
        assertThat(WalStreamCommand.line(status)).isEqualTo("2024-05-01T12:00:00Z streaming: received 0/5000100, shipped 0/5000000 "
                + "(segment 000000010000000000000004, partial 000000010000000000000005.partial in 95 ms), lag 256 B / 0.4 s, restarts 2");
    }
}
