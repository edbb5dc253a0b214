package dev.cellar.wal.agent;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

/**
 * The WAL agent's answer, one text line: {@code ok [detail]}, {@code missing}, or
 * {@code error <exit code> <message>[TAB<hint>]}. Errors carry Cellar's exit code, so
 * {@code wal push} exits with the code an in-process push would have given (16 for a conflict).
 */
public record AgentReply(Status status, String detail, int exitCode, String hint) {
    public enum Status { OK, MISSING, ERROR }

    /** Detail of an {@code ok} to a push that found the same content already archived. */
    public static final String ALREADY_ARCHIVED = "already-archived";
    /** Detail of an {@code ok} to a get answered from the segment's {@code .partial}. */
    public static final String FROM_PARTIAL = "partial";

    public static AgentReply ok(String detail) {
        return new AgentReply(Status.OK, detail == null ? "" : detail, 0, null);
    }

    public static AgentReply missing() {
        return new AgentReply(Status.MISSING, "", 0, null);
    }

    public static AgentReply error(CellarException e) {
        return new AgentReply(Status.ERROR, oneLine(e.getMessage()), e.code().exitCode(), e.hint() == null ? null : oneLine(e.hint()));
    }

    public static AgentReply error(ErrorCode code, String message) {
        return new AgentReply(Status.ERROR, oneLine(message), code.exitCode(), null);
    }

    public String line() {
        return switch (status) {
            case OK -> detail.isEmpty() ? "ok" : "ok " + detail;
            case MISSING -> "missing";
            case ERROR -> "error " + exitCode + " " + detail + (hint == null ? "" : "\t" + hint);
        };
    }

    /** Parses a reply line; throws {@link IllegalArgumentException} for anything the agent would not send. */
    public static AgentReply parse(String line) {
        if (line == null) {
            throw new IllegalArgumentException("no reply");
        }
        if (line.equals("ok")) {
            return ok("");
        }
        if (line.startsWith("ok ")) {
            return ok(line.substring(3));
        }
        if (line.equals("missing")) {
            return missing();
        }
        if (line.startsWith("error ")) {
            String rest = line.substring(6);
            int space = rest.indexOf(' ');
            try {
                int code = Integer.parseInt(space < 0 ? rest : rest.substring(0, space));
                String message = space < 0 ? "" : rest.substring(space + 1);
                int tab = message.indexOf('\t');
                return new AgentReply(Status.ERROR, tab < 0 ? message : message.substring(0, tab), code,
                        tab < 0 ? null : message.substring(tab + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed error reply: " + line);
            }
        }
        throw new IllegalArgumentException("unknown reply: " + line);
    }

    /** The error as the exception an in-process run would have thrown. */
    public CellarException toException() {
        ErrorCode code = ErrorCode.INTERNAL;
        for (ErrorCode c : ErrorCode.values()) {
            if (c.exitCode() == exitCode) {
                code = c;
            }
        }
        return new CellarException(code, detail, hint);
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    }
}
