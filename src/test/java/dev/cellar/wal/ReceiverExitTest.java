package dev.cellar.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.error.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiverExitTest {

    @Test
    void aLostServerIsRetried() {
        ReceiverExit exit = ReceiverExit.classify(1, List.of(
                "pg_receivewal: error: unexpected termination of replication stream: FATAL:  terminating connection due to administrator command",
                "pg_receivewal: error: disconnected"));
        assertThat(exit.retryable()).isTrue();
        assertThat(exit.reason()).contains("disconnected");

        assertThat(ReceiverExit.classify(1, List.of("pg_receivewal: error: connection to server at \"127.0.0.1\", port 5999 failed: "
                + "Connection refused")).retryable()).isTrue();
    }

    @Test
    void aSlotUsedByAnotherProcessIsFatalAndSaysWhatToDo() {
        ReceiverExit exit = ReceiverExit.classify(1, List.of("pg_receivewal: error: could not send replication command "
                + "\"START_REPLICATION\": ERROR:  replication slot \"cellar\" is active for PID 4242"));
        assertThat(exit.retryable()).isFalse();
        assertThat(exit.fatal().code()).isEqualTo(ErrorCode.LOCKED);
        assertThat(exit.fatal().getMessage()).contains("PID 4242");
        assertThat(exit.fatal().hint()).contains("--slot");
    }

    @Test
    void refusalsThatReconnectingCannotCureAreFatal() {
        assertThat(ReceiverExit.classify(1, List.of("pg_receivewal: error: connection to server failed: FATAL:  no pg_hba.conf entry "
                + "for replication connection from host \"10.0.0.5\", user \"cellar\", no encryption")).fatal().code())
                .isEqualTo(ErrorCode.DATABASE_UNREACHABLE);
        assertThat(ReceiverExit.classify(1, List.of("pg_receivewal: error: connection to server failed: FATAL:  must be superuser or "
                + "replication role to start walsender")).fatal().hint()).contains("REPLICATION");
        assertThat(ReceiverExit.classify(1, List.of("pg_receivewal: error: could not send replication command \"START_REPLICATION\": "
                + "ERROR:  requested WAL segment 000000010000000000000003 has already been removed")).fatal().code())
                .isEqualTo(ErrorCode.INTEGRITY);
        assertThat(ReceiverExit.classify(1, List.of("pg_receivewal: error: could not send replication command "
                + "\"READ_REPLICATION_SLOT\": ERROR:  replication slot \"cellar\" does not exist")).fatal().code())
                .isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void aCleanExitIsNotAnError() {
        ReceiverExit exit = ReceiverExit.classify(0, List.of("pg_receivewal: received interrupt signal, exiting"));
        assertThat(exit.retryable()).isTrue();
        assertThat(exit.exitCode()).isZero();
    }
}
