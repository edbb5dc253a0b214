package dev.cellar.wal.agent;

import dev.cellar.wal.WalFileName;
import java.nio.file.Path;

/**
 * One request to the WAL agent, one text line on its socket:
 * {@code push <absolute path>}, {@code get <file name> <absolute destination>} or {@code stop}.
 * Paths run to the end of the line, so they may hold spaces; they may not hold line breaks.
 */
public sealed interface AgentRequest {

    /** Archive this file now, or wait for the agent's own shipment of it. */
    record Push(Path file) implements AgentRequest {
        public Push {
            requireAbsolute(file);
        }

        @Override
        public String line() {
            return "push " + file;
        }
    }

    /** Write this WAL file to {@code destination}. */
    record Get(WalFileName name, Path destination) implements AgentRequest {
        public Get {
            requireAbsolute(destination);
        }

        @Override
        public String line() {
            return "get " + name + " " + destination;
        }
    }

    /**
     * Finish the work under way and exit; the reply ({@code ok <n>}) says how many WAL files the
     * agent fetched ahead. A restore stops the agent of its spool this way when it ends.
     */
    record Stop() implements AgentRequest {
        @Override
        public String line() {
            return "stop";
        }
    }

    /** The request as sent, without the line break. */
    String line();

    /** Parses one line; throws {@link IllegalArgumentException} with a short reason for anything else. */
    static AgentRequest parse(String line) {
        if (line == null || line.isEmpty()) {
            throw new IllegalArgumentException("empty request");
        }
        int space = line.indexOf(' ');
        String verb = space < 0 ? line : line.substring(0, space);
        String rest = space < 0 ? "" : line.substring(space + 1);
        switch (verb) {
            case "push" -> {
                return new Push(path(rest));
            }
            case "get" -> {
                int split = rest.indexOf(' ');
                if (split <= 0) {
                    throw new IllegalArgumentException("get needs a file name and a destination");
                }
                String name = rest.substring(0, split);
                if (!WalFileName.isWalFileName(name)) {
                    throw new IllegalArgumentException("'" + name + "' is not a WAL file name");
                }
                return new Get(WalFileName.parse(name), path(rest.substring(split + 1)));
            }
            case "stop" -> {
                if (!rest.isEmpty()) {
                    throw new IllegalArgumentException("stop takes no argument");
                }
                return new Stop();
            }
            default -> throw new IllegalArgumentException("unknown request '" + verb + "'");
        }
    }

    private static Path path(String text) {
        if (text.isEmpty() || text.indexOf('\n') >= 0 || text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("missing or malformed path");
        }
        Path path = Path.of(text);
        requireAbsolute(path);
        return path;
    }

    private static void requireAbsolute(Path path) {
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("path " + path + " is not absolute");
        }
        if (path.toString().indexOf('\n') >= 0) {
            throw new IllegalArgumentException("path holds a line break");
        }
    }
}
