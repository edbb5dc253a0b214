package dev.cellar.drill.check;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a check set file. It walks SnakeYAML's node tree rather than binding to classes because
 * every node keeps its line: a DBA editing the file at night is told "line 14: invariant
 * 'paid-orders' has no sql:" rather than a mapping error. The first mistake stops the parse.
 */
public final class CheckSetParser {
    static final String HINT = "docs/drill-checks.md describes the check set file, with the shipped restaurant_ordering set as an example";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Set<String> TOP_KEYS = Set.of("database", "statement-timeout-seconds", "max-ratio", "invariants", "queries");
    private static final Set<String> INVARIANT_KEYS = Set.of("name", "description", "sql", "returns");
    private static final Set<String> QUERY_KEYS = Set.of("name", "description", "sql");

    private final String source;

    private CheckSetParser(String source) {
        this.source = source;
    }

    /** The check set in {@code file} (the {@code drill.checks} setting). */
    public static CheckSet parse(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "cannot read check set file " + file + " (drill.checks): " + e.getMessage(),
                    "check that the file exists and that this user may read it", e);
        }
        return parse(text, file.toString());
    }

    /** The check set written in {@code yaml}; {@code source} names it in messages. */
    public static CheckSet parse(String yaml, String source) {
        return new CheckSetParser(source).read(yaml);
    }

    /** The set Cellar ships for {@code database}, if it ships one ({@code drill/<database>-checks.yaml}). */
    public static Optional<CheckSet> shipped(String database) {
        if (database == null || !NAME.matcher(database).matches()) {
            return Optional.empty();
        }
        String resource = "/drill/" + database + "-checks.yaml";
        try (InputStream in = CheckSetParser.class.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), database + "-checks.yaml (shipped)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CheckSet read(String yaml) {
        Node root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
            throw new CellarException(ErrorCode.CONFIG_INVALID, source + " line " + line + ": not valid YAML: " + e.getProblem(),
                    "indent with spaces, never tabs, put a space after each ':', and write each sql: as a block (sql: |); " + HINT, e);
        } catch (YAMLException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, source + ": not valid YAML: " + e.getMessage(), HINT, e);
        }
        if (root == null) {
            throw invalid(1, "is empty; a check set names at least one invariant (invariants:) or one timed query (queries:)");
        }
        Map<String, Node> top = mapping(root, "the top of the file", "invariants:, queries:, statement-timeout-seconds: and max-ratio:", TOP_KEYS);
        Duration timeout = top.containsKey("statement-timeout-seconds")
                ? Duration.ofSeconds(positiveInteger(top.get("statement-timeout-seconds"), "statement-timeout-seconds"))
                : CheckSet.DEFAULT_STATEMENT_TIMEOUT;
        OptionalDouble maxRatio = top.containsKey("max-ratio") ? OptionalDouble.of(ratio(top.get("max-ratio"))) : OptionalDouble.empty();
        List<Invariant> invariants = new ArrayList<>();
        List<TimedQuery> queries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Node entry : list(top.get("invariants"), "invariants")) {
            Map<String, Node> fields = mapping(entry, "an invariant", "name:, description:, sql: and optionally returns:", INVARIANT_KEYS);
            String name = name(fields, entry, "invariant", names);
            invariants.add(new Invariant(name, text(fields, "description", entry, "invariant '" + name + "'"),
                    text(fields, "sql", entry, "invariant '" + name + "'"), returns(fields.get("returns"), name), line(entry)));
        }
        names.clear();
        for (Node entry : list(top.get("queries"), "queries")) {
            Map<String, Node> fields = mapping(entry, "a timed query", "name:, description: and sql:", QUERY_KEYS);
            String name = name(fields, entry, "query", names);
            queries.add(new TimedQuery(name, text(fields, "description", entry, "query '" + name + "'"),
                    text(fields, "sql", entry, "query '" + name + "'"), line(entry)));
        }
        if (invariants.isEmpty() && queries.isEmpty()) {
            throw invalid(line(root), "names no query: a check set needs at least one invariant (invariants:) or one timed query (queries:)");
        }
        return new CheckSet(source, invariants, queries, timeout, maxRatio);
    }

    private Map<String, Node> mapping(Node node, String what, String expected, Set<String> allowed) {
        if (!(node instanceof MappingNode map)) {
            throw invalid(line(node), what + " must be a mapping of " + expected);
        }
        Map<String, Node> fields = new LinkedHashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : "";
            if (!allowed.contains(key)) {
                throw invalid(line(tuple.getKeyNode()), "unknown key '" + key + "' in " + what + "; expected " + expected);
            }
            if (fields.put(key, tuple.getValueNode()) != null) {
                throw invalid(line(tuple.getKeyNode()), key + ": is written twice in " + what);
            }
        }
        return fields;
    }

    private List<Node> list(Node node, String key) {
        if (node == null || (node instanceof ScalarNode scalar && scalar.getValue().isEmpty())) {
            return List.of();
        }
        if (!(node instanceof SequenceNode sequence)) {
            throw invalid(line(node), key + ": must be a list of entries, each starting with '- name:'");
        }
        return sequence.getValue();
    }

    private String name(Map<String, Node> fields, Node entry, String what, Set<String> seen) {
        String name = text(fields, "name", entry, "a " + what);
        if (!NAME.matcher(name).matches()) {
            throw invalid(line(fields.get("name")), what + " name '" + name + "' must be lowercase letters, digits, '-' or '_'");
        }
        if (!seen.add(name)) {
            throw invalid(line(fields.get("name")), what + " '" + name + "' is defined twice");
        }
        return name;
    }

    private String text(Map<String, Node> fields, String key, Node entry, String owner) {
        Node node = fields.get(key);
        if (node == null) {
            throw invalid(line(entry), owner + " has no " + key + ":" + ("sql".equals(key) ? " (the query to run)" : ""));
        }
        if (!(node instanceof ScalarNode scalar) || scalar.getValue().isBlank()) {
            throw invalid(line(node), owner + "'s " + key + ": must be non-empty text");
        }
        return scalar.getValue().strip();
    }

    private Invariant.Returns returns(Node node, String name) {
        if (node == null) {
            return Invariant.Returns.ROWS;
        }
        String value = node instanceof ScalarNode scalar ? scalar.getValue().toLowerCase(Locale.ROOT) : "";
        return switch (value) {
            case "rows" -> Invariant.Returns.ROWS;
            case "verdict" -> Invariant.Returns.VERDICT;
            default -> throw invalid(line(node), "invariant '" + name + "': returns: must be 'rows' (each row an offender)"
                    + " or 'verdict' (one false or 0 when the rule holds)");
        };
    }

    private int positiveInteger(Node node, String key) {
        String value = node instanceof ScalarNode scalar ? scalar.getValue() : "";
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= 1 && parsed <= 3600) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw invalid(line(node), key + ": must be a whole number of seconds from 1 to 3600, not '" + value + "'");
    }

    private double ratio(Node node) {
        String value = node instanceof ScalarNode scalar ? scalar.getValue() : "";
        try {
            double parsed = Double.parseDouble(value);
            if (parsed >= 1.0 && Double.isFinite(parsed)) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw invalid(line(node), "max-ratio: must be a number of at least 1 (restored time / source time), not '" + value + "'");
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
    }

    private CellarException invalid(int line, String what) {
        return new CellarException(ErrorCode.CONFIG_INVALID, "check set " + source + " line " + line + ": " + what, HINT);
    }
}
