package dev.cellar.recover;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Whether a recovery may replace a database that other sessions are connected to: only with --force. */
public final class SessionGate {
    private SessionGate() {
    }

    /** The refusal to raise, or empty when the recovery may go on. */
    public static Optional<CellarException> refusal(String database, List<LiveSession> sessions, boolean force) {
        if (sessions.isEmpty() || force) {
            return Optional.empty();
        }
        return Optional.of(new CellarException(ErrorCode.DATABASE_IN_USE, "database " + database + " is in use: "
                + describe(sessions) + "; nothing was run or changed",
                "stop the application first (or put its stop command in recover.pre-hooks), or pass --force to end these sessions"));
    }

    public static String describe(List<LiveSession> sessions) {
        return sessions.isEmpty() ? "no other session" : sessions.stream().map(LiveSession::describe).collect(Collectors.joining(", "));
    }
}
