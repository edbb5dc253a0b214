package dev.cellar.drill.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads pg_amcheck's report: a header line per problem naming the relation ({@code btree index
 * "db.public.users_pkey":}, {@code heap table "db.public.orders", block 3, offset 7:}) followed by
 * indented message lines. One failed result per relation, with its first message.
 */
final class AmcheckReport {
    private static final Pattern HEADER = Pattern.compile("^(heap table|btree index|relation|toast table)\\s+\"([^\"]+)\"(.*):$");

    private AmcheckReport() {
    }

    /** Failures found in {@code stdout}; empty when pg_amcheck reported nothing. */
    static List<CheckResult> parse(String stdout) {
        Map<String, List<String>> messages = new LinkedHashMap<>();
        Map<String, String> kinds = new LinkedHashMap<>();
        String current = null;
        for (String line : stdout.split("\\R")) {
            Matcher header = HEADER.matcher(line);
            if (header.matches()) {
                current = withoutDatabase(header.group(2));
                kinds.putIfAbsent(current, header.group(1));
                messages.computeIfAbsent(current, k -> new ArrayList<>());
                if (!header.group(3).isBlank()) {
                    messages.get(current).add(header.group(3).replaceFirst("^,\\s*", "").strip() + ":");
                }
            } else if (current != null && !line.isBlank()) {
                messages.get(current).add(line.strip());
            }
        }
        List<CheckResult> results = new ArrayList<>();
        messages.forEach((relation, lines) -> results.add(CheckResult.failed("amcheck", relation,
                kinds.get(relation) + " " + relation + " is corrupt: " + firstProblem(lines))));
        return results;
    }

    private static String firstProblem(List<String> lines) {
        if (lines.isEmpty()) {
            return "pg_amcheck named it without a message";
        }
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(line);
            if (!line.endsWith(":")) {
                break;
            }
        }
        return out.toString();
    }

    /** pg_amcheck names relations database.schema.name; the copy's scratch database name means nothing to the reader. */
    private static String withoutDatabase(String name) {
        int dot = name.indexOf('.');
        return dot >= 0 && name.indexOf('.', dot + 1) >= 0 ? name.substring(dot + 1) : name;
    }
}
