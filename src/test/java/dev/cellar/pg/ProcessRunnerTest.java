package dev.cellar.pg;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessRunnerTest {

    @Test
    void capturesOutputErrorsAndExitCode() {
        ProcessResult result = ProcessRunner.run(
                List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Map.of(), null);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderrTail()).isEqualTo("err\n");
        assertThat(result.elapsed()).isPositive();
    }

    @Test
    void passesSecretsThroughTheEnvironment() {
        ProcessResult result = ProcessRunner.run(
                List.of("sh", "-c", "printf %s \"$PGPASSWORD\""), Map.of("PGPASSWORD", "s3cret"), null);

        assertThat(result.stdout()).isEqualTo("s3cret");
    }

    @Test
    void requireSuccessNamesProgramExitCodeAndLastErrorLines() {
        assertThatThrownBy(() -> ProcessRunner.requireSuccess(
                List.of("sh", "-c", "echo 'FATAL: boom' >&2; exit 2"), Map.of(), null))
                .isInstanceOf(CellarException.class)
                .hasMessageContaining("sh failed with exit code 2")
                .hasMessageContaining("FATAL: boom")
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.EXTERNAL_TOOL_FAILED));
    }

    @Test
    void missingProgramIsBinaryMissing() {
        assertThatThrownBy(() -> ProcessRunner.run(List.of("no-such-program-cellar"), Map.of(), null))
                .isInstanceOf(CellarException.class)
                .hasMessageContaining("no-such-program-cellar")
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.BINARY_MISSING));
    }

    @Test
    void keepsOnlyTheTailOfLongErrorOutput() throws Exception {
        byte[] input = new byte[ProcessRunner.STDERR_TAIL_BYTES * 3 + 123];
        for (int i = 0; i < input.length; i++) {
            input[i] = (byte) i;
        }

        byte[] tail = ProcessRunner.readTail(new ByteArrayInputStream(input));

        assertThat(tail).isEqualTo(Arrays.copyOfRange(input, input.length - ProcessRunner.STDERR_TAIL_BYTES, input.length));
    }

    @Test
    void serverUserIsPostgresOnlyForRoot() {
        assertThat(ProcessRunner.unprivilegedUserForServer())
                .isEqualTo(ProcessRunner.runningAsRoot() ? "postgres" : null);
    }
}
