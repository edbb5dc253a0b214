package dev.cellar.server.metrics;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names in a Prometheus text exposition, each once, in order of appearance. */
public final class ExportedNames {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", Pattern.MULTILINE);

    private ExportedNames() {
    }

    public static List<String> of(String exposition) {
        Matcher m = SAMPLE.matcher(exposition);
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return List.copyOf(names);
    }
}
