package dev.cellar.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.repo.RepositoryNotices;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** Prints a command's result: a human text, or the result record as JSON for scripts. */
final class Output {
    private final PrintStream out;
    private final boolean json;
    /** null, or what the repository told the command: added to the JSON result (stderr said it already) */
    private final RepositoryNotices notices;
    /** Copies the command could not reach and went on without: added to the JSON result (stderr said it already) */
    private final List<String> copiesUnreachable;

    Output(PrintStream out, boolean json) {
        this(out, json, null, List.of());
    }

    Output(PrintStream out, boolean json, RepositoryNotices notices, List<String> copiesUnreachable) {
        this.out = out;
        this.json = json;
        this.notices = notices;
        this.copiesUnreachable = copiesUnreachable;
    }

    boolean json() {
        return json;
    }

    /** Prints {@code result} as JSON, or the human text when not in JSON mode. */
    void result(Object result, String human) {
        if (json) {
            try {
                out.println(RepositoryJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(withNotices(result)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot render result as JSON", e);
            }
        } else {
            out.print(human.endsWith("\n") ? human : human + "\n");
        }
        out.flush();
    }

    /**
     * As {@link #result(Object, String)}, for a command that wrote to several copies: the JSON
     * names the copies that fell behind during the run (the stderr warning says it to people), so
     * a script sees that the command succeeded on the first copy only.
     */
    void result(Object result, String human, List<String> copiesBehind) {
        if (json && !copiesBehind.isEmpty()) {
            ObjectNode tree = RepositoryJson.mapper().valueToTree(result);
            tree.putPOJO("copiesBehind", copiesBehind);
            result(tree, human);
        } else {
            result(result, human);
        }
    }

    /**
     * The result with {@code readOnly}, {@code damagedManifestsSkipped} and {@code copiesUnreachable}
     * beside its own fields, when anything was noticed.
     */
    private Object withNotices(Object result) {
        RepositoryNotices.Summary summary = notices == null ? null : notices.summary();
        if ((summary == null || summary.isEmpty()) && copiesUnreachable.isEmpty()) {
            return result;
        }
        JsonNode tree = RepositoryJson.mapper().valueToTree(result);
        if (!(tree instanceof ObjectNode object)) {
            return result;
        }
        if (!copiesUnreachable.isEmpty()) {
            object.putPOJO("copiesUnreachable", copiesUnreachable);
        }
        if (summary == null) {
            return object;
        }
        if (summary.readOnly() != null) {
            object.putPOJO("readOnly", summary.readOnly());
        }
        if (summary.damagedManifestsSkipped() != null) {
            object.putPOJO("damagedManifestsSkipped", summary.damagedManifestsSkipped());
        }
        return object;
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    static String seconds(java.time.Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
