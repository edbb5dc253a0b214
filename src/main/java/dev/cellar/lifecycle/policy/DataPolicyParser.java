package dev.cellar.lifecycle.policy;

import dev.cellar.lifecycle.TableName;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a data policy from YAML. It walks the tree instead of binding it to classes so that each
 * mistake is reported with its key path ({@code categories.financial.retention}) and what a right
 * value looks like; the first mistake stops the parse.
 */
public final class DataPolicyParser {
    static final String HINT = "docs/data-policy.md describes every key of the policy file, with the shipped restaurant_ordering policy as an example";
    private static final Pattern CATEGORY_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final String SHIPPED_RESTAURANT = "/lifecycle/restaurant_ordering-policy.yaml";

    private final String source;

    private DataPolicyParser(String source) {
        this.source = source;
    }

    /** The policy in {@code file}. */
    public static DataPolicy parse(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "cannot read policy file " + file + ": " + e.getMessage(),
                    "check that the file exists and that this user may read it", e);
        }
        return parse(text, file.toString());
    }

    /** The policy written in {@code yaml}; {@code source} names it in messages (a file name). */
    public static DataPolicy parse(String yaml, String source) {
        return new DataPolicyParser(source).read(yaml);
    }

    /** The policy Cellar ships for the restaurant_ordering reference database, as its backup strategy states it. */
    public static DataPolicy restaurantOrdering() {
        try (InputStream in = DataPolicyParser.class.getResourceAsStream(SHIPPED_RESTAURANT)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + SHIPPED_RESTAURANT);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "restaurant_ordering-policy.yaml");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private DataPolicy read(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JacksonException e) {
            String message = e.getOriginalMessage();
            int newline = message.indexOf('\n');
            throw new CellarException(ErrorCode.CONFIG_INVALID,
                    source + " is not valid YAML (line " + e.getLocation().getLineNr() + "): "
                            + (newline < 0 ? message : message.substring(0, newline)),
                    "indent with spaces, never tabs, put a space after each ':' and name each key once", e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw invalid("(top)", "is empty; a policy needs at least database: and categories:");
        }
        requireMapping(root, "(top)", "database:, categories:, personal-data:, subjects: and not-personal:");
        onlyKeys(root, "", Set.of("database", "categories", "personal-data", "subjects", "not-personal"));
        String database = text(required(root, "", "database"), "database");
        List<DataCategory> categories = categories(required(root, "", "categories"));
        List<PersonalDataTable> personal = personalData(root.get("personal-data"));
        Map<TableName, String> notPersonal = notPersonal(root.get("not-personal"));
        List<TableName> subjects = subjects(root.get("subjects"), personal);
        return new DataPolicy(database, categories, personal, notPersonal, subjects);
    }

    private List<DataCategory> categories(JsonNode node) {
        requireMapping(node, "categories", "category names (financial:, user-activity:, ...) with retention: and tables: below each");
        List<DataCategory> categories = new ArrayList<>();
        Map<TableName, String> categoryOfTable = new HashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String name = entry.getKey();
            String path = "categories." + name;
            if (!CATEGORY_NAME.matcher(name).matches()) {
                throw invalid(path, "category name '" + name + "' must be lowercase letters, digits, '-' or '_'");
            }
            JsonNode category = entry.getValue();
            requireMapping(category, path, "retention: and tables:");
            onlyKeys(category, path + ".", Set.of("retention", "tables", "on-conflict", "rto", "rpo"));
            RetentionPeriod retention = retention(required(category, path + ".", "retention"), path + ".retention");
            List<CategoryTable> tables = categoryTables(required(category, path + ".", "tables"), path + ".tables");
            for (CategoryTable table : tables) {
                String earlier = categoryOfTable.putIfAbsent(table.table(), name);
                if (earlier != null) {
                    throw invalid(path + ".tables." + table.table(), "is already in category '" + earlier
                            + "'; a table belongs to one category, whose retention decides when its rows go");
                }
            }
            OnConflict onConflict = category.has("on-conflict")
                    ? onConflict(category.get("on-conflict"), path + ".on-conflict") : OnConflict.KEEP_PARENT;
            categories.add(new DataCategory(name, retention, tables, onConflict, objective(category, path, "rto"),
                    objective(category, path, "rpo")));
        }
        if (categories.isEmpty()) {
            throw invalid("categories", "lists no category");
        }
        return categories;
    }

    private OnConflict onConflict(JsonNode node, String path) {
        String value = text(node, path);
        return OnConflict.parse(value).orElseThrow(() -> invalid(path, "'" + value
                + "' is not keep-parent (keep a due row while rows not yet due reference it) or detach (set their reference to NULL)"));
    }

    /** An optional recovery objective of a category (drills compare with it): "15 minutes", "4 hours". */
    private java.time.Duration objective(JsonNode category, String path, String key) {
        if (!category.has(key)) {
            return null;
        }
        String value = text(category.get(key), path + "." + key);
        return dev.cellar.drill.ObjectiveDuration.parse(value).orElseThrow(() -> invalid(path + "." + key,
                "'" + value + "' is not a duration like '15 minutes', '1 hour' or '24 hours'"));
    }

    private RetentionPeriod retention(JsonNode node, String path) {
        String value = text(node, path);
        return RetentionPeriod.parse(value).orElseThrow(() -> invalid(path,
                "'" + value + "' is not a period like '7 years', '18 months' or '30 days'"));
    }

    private List<CategoryTable> categoryTables(JsonNode node, String path) {
        requireMapping(node, path, "table names with dated-by: below each");
        List<CategoryTable> tables = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String tablePath = path + "." + entry.getKey();
            TableName table = tableName(entry.getKey(), tablePath);
            JsonNode spec = entry.getValue();
            requireMapping(spec, tablePath, "dated-by: (a column of the table, or table: and column: of the table it references)");
            onlyKeys(spec, tablePath + ".", Set.of("dated-by"));
            tables.add(new CategoryTable(table, dating(required(spec, tablePath + ".", "dated-by"), tablePath + ".dated-by")));
        }
        if (tables.isEmpty()) {
            throw invalid(path, "lists no table");
        }
        return tables;
    }

    private RowDating dating(JsonNode node, String path) {
        if (node.isObject()) {
            onlyKeys(node, path + ".", Set.of("table", "column"));
            String tablePath = path + ".table";
            TableName table = tableName(text(required(node, path + ".", "table"), tablePath), tablePath);
            return new RowDating.ReferencedColumn(table, column(required(node, path + ".", "column"), path + ".column"));
        }
        return new RowDating.OwnColumn(column(node, path));
    }

    private List<PersonalDataTable> personalData(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        requireMapping(node, "personal-data", "table names with their personal-data columns and erasure actions below each");
        List<PersonalDataTable> tables = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String path = "personal-data." + entry.getKey();
            TableName table = tableName(entry.getKey(), path);
            requireMapping(entry.getValue(), path, "column names with an erasure action each (" + actionList() + ")");
            List<PersonalColumn> columns = new ArrayList<>();
            for (Map.Entry<String, JsonNode> column : entry.getValue().properties()) {
                columns.add(personalColumn(column.getKey(), column.getValue(), path + "." + column.getKey()));
            }
            if (columns.isEmpty()) {
                throw invalid(path, "lists no column; remove the table or name its personal-data columns");
            }
            tables.add(new PersonalDataTable(table, columns));
        }
        return tables;
    }

    private PersonalColumn personalColumn(String name, JsonNode node, String path) {
        if (!TableName.isPolicyIdentifier(name)) {
            throw invalid(path, "'" + name + "' is not a column name (lowercase, unquoted)");
        }
        if (node.isObject()) {
            onlyKeys(node, path + ".", Set.of("action", "reason"));
            ErasureAction action = action(required(node, path + ".", "action"), path + ".action");
            JsonNode reason = node.get("reason");
            if (action == ErasureAction.KEEP) {
                String why = reason == null || reason.isNull() ? "" : text(reason, path + ".reason").strip();
                if (why.isEmpty()) {
                    throw invalid(path + ".reason", "is missing; keep needs the reason the law requires the value (an auditor reads it)");
                }
                return new PersonalColumn(name, action, why);
            }
            if (reason != null) {
                throw invalid(path + ".reason", "is only for keep; " + action.word() + " needs no reason");
            }
            return new PersonalColumn(name, action, null);
        }
        ErasureAction action = action(node, path);
        if (action == ErasureAction.KEEP) {
            throw invalid(path, "keep needs a reason: write {action: keep, reason: \"...\"}");
        }
        return new PersonalColumn(name, action, null);
    }

    private ErasureAction action(JsonNode node, String path) {
        if (node.isNull()) {
            throw invalid(path, "has no action; write one of " + actionList()
                    + " (quote 'null': unquoted, YAML reads it as no value)");
        }
        String word = text(node, path);
        return ErasureAction.byWord(word).orElseThrow(() -> invalid(path,
                "'" + word + "' is not an erasure action; use one of " + actionList()));
    }

    /** The tables whose rows are data subjects (users, employees); each must have personal data. */
    private List<TableName> subjects(JsonNode node, List<PersonalDataTable> personal) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw invalid("subjects", "must be a list of tables whose rows are people, such as [users, employees]");
        }
        List<TableName> subjects = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "subjects[" + i + "]";
            TableName table = tableName(text(node.get(i), path), path);
            if (personal.stream().noneMatch(p -> p.table().equals(table))) {
                throw invalid(path, "'" + table + "' has no personal-data: entry; a subject table is one whose rows are people, "
                        + "so list its personal columns under personal-data: first");
            }
            if (subjects.contains(table)) {
                throw invalid(path, "'" + table + "' is listed twice");
            }
            subjects.add(table);
        }
        return subjects;
    }

    private Map<TableName, String> notPersonal(JsonNode node) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        requireMapping(node, "not-personal", "table names, each with the reason its personal-looking columns are not personal data");
        Map<TableName, String> tables = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String path = "not-personal." + entry.getKey();
            String reason = entry.getValue().isNull() ? "" : text(entry.getValue(), path).strip();
            if (reason.isEmpty()) {
                throw invalid(path, "needs the reason its columns are not personal data");
            }
            tables.put(tableName(entry.getKey(), path), reason);
        }
        return tables;
    }

    private TableName tableName(String text, String path) {
        if (!TableName.isPolicyName(text)) {
            throw invalid(path, "'" + text + "' is not a table name like 'payments' or 'audit.audit_logs' (lowercase, unquoted)");
        }
        return TableName.parse(text);
    }

    private String column(JsonNode node, String path) {
        String name = text(node, path);
        if (!TableName.isPolicyIdentifier(name)) {
            throw invalid(path, "'" + name + "' is not a column name (lowercase, unquoted)");
        }
        return name;
    }

    private String text(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            throw invalid(path, "has no value");
        }
        if (!node.isValueNode()) {
            throw invalid(path, "must be a single value, not a " + (node.isArray() ? "list" : "section"));
        }
        return node.asText();
    }

    private JsonNode required(JsonNode parent, String prefix, String key) {
        JsonNode child = parent.get(key);
        if (child == null || child.isNull()) {
            throw invalid(prefix + key, "is missing");
        }
        return child;
    }

    private void requireMapping(JsonNode node, String path, String expected) {
        if (!node.isObject()) {
            throw invalid(path, "must be a section holding " + expected);
        }
    }

    private void onlyKeys(JsonNode node, String prefix, Set<String> known) {
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!known.contains(entry.getKey())) {
                throw invalid(prefix + entry.getKey(), "is not a key here; the keys are " + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    private static String actionList() {
        return String.join(", ", ErasureAction.words());
    }

    private CellarException invalid(String path, String problem) {
        return new CellarException(ErrorCode.CONFIG_INVALID, path + ": " + problem + " (in " + source + ")", HINT);
    }
}
