package dev.cellar.wal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.wal.WalFileName;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AgentProtocolTest {

    @Test
    void pushRequestRoundTripsAPathWithSpaces() {
        AgentRequest request = AgentRequest.parse("push /var/lib/postgres data/pg_wal/000000010000000000000003");
        assertThat(request).isEqualTo(new AgentRequest.Push(Path.of("/var/lib/postgres data/pg_wal/000000010000000000000003")));
        assertThat(AgentRequest.parse(request.line())).isEqualTo(request);
    }

    @Test
    void getRequestCarriesNameAndDestination() {
        AgentRequest request = AgentRequest.parse("get 00000002.history /data/pg_wal/RECOVERYHISTORY");
        assertThat(request).isEqualTo(new AgentRequest.Get(WalFileName.parse("00000002.history"), Path.of("/data/pg_wal/RECOVERYHISTORY")));
        assertThat(AgentRequest.parse(request.line())).isEqualTo(request);
    }

    @Test
    void malformedRequestsAreRefusedWithAReason() {
        assertThatThrownBy(() -> AgentRequest.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> AgentRequest.parse("delete /x")).hasMessageContaining("unknown request");
        assertThatThrownBy(() -> AgentRequest.parse("push relative/000000010000000000000003")).hasMessageContaining("not absolute");
        assertThatThrownBy(() -> AgentRequest.parse("push")).hasMessageContaining("path");
        assertThatThrownBy(() -> AgentRequest.parse("get ../../etc/passwd /tmp/x")).hasMessageContaining("not a WAL file name");
        assertThatThrownBy(() -> AgentRequest.parse("get 000000010000000000000003")).hasMessageContaining("destination");
    }

    @Test
    void repliesRoundTrip() {
        for (AgentReply reply : new AgentReply[] {AgentReply.ok(""), AgentReply.ok(AgentReply.ALREADY_ARCHIVED), AgentReply.missing(),
                AgentReply.error(new CellarException(ErrorCode.WAL_CONFLICT, "WAL file X differs", "give each cluster its own repository"))}) {
            assertThat(AgentReply.parse(reply.line())).isEqualTo(reply);
        }
    }

    @Test
    void errorReplyKeepsTheExitCodeAndFlattensLineBreaks() {
        AgentReply reply = AgentReply.error(new CellarException(ErrorCode.WAL_CONFLICT, "first\nsecond", null));
        assertThat(reply.line()).isEqualTo("error 16 first second");
        CellarException e = AgentReply.parse(reply.line()).toException();
        assertThat(e.code()).isEqualTo(ErrorCode.WAL_CONFLICT);
        assertThat(e.getMessage()).isEqualTo("first second");
    }

    @Test
    void unknownRepliesAreRefused() {
        assertThatThrownBy(() -> AgentReply.parse("maybe")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AgentReply.parse("error x y")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AgentReply.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
