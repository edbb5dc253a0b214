package dev.cellar.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads {@code cellar.yaml} into raw settings, remembering the line each came from. It walks the
 * token stream rather than binding to classes so that a typo, a duplicate or a misplaced value
 * is reported with its line and a suggestion instead of a generic mapping error.
 */
final class YamlFileReader {
    static final String REPOSITORIES = "repositories";
    static final String DATABASES = "databases";
    /** A database's short name, used in job keys (full:restaurant_ordering) and unit names. */
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Pattern REPOSITORY_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    /**
     * What the file holds: the plain settings, each named repository's own settings and each
     * named database's own settings, in file order.
     */
    record Contents(Map<ConfigKey, RawValue> values, Map<String, Map<ConfigKey, RawValue>> repositories,
            Map<String, Map<ConfigKey, RawValue>> databases) {
        static Contents empty() {
            return new Contents(new EnumMap<>(ConfigKey.class), new LinkedHashMap<>(), new LinkedHashMap<>());
        }
    }

    private final Path file;
    private final Contents contents = Contents.empty();
    /** Lines of the plain settings, across sections, so a section written twice still reports its repeats. */
    private final Map<ConfigKey, Integer> lines = new EnumMap<>(ConfigKey.class);

    private YamlFileReader(Path file) {
        this.file = file.toAbsolutePath();
    }

    /** The settings in {@code file}; YAML nulls ({@code key:} with no value) count as unset. */
    static Contents read(Path file) {
        return new YamlFileReader(file).read();
    }

    private Contents read() {
        try (JsonParser parser = new YAMLFactory().createParser(file.toFile())) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return contents;
            }
            if (first != JsonToken.START_OBJECT) {
                throw invalid("must be a mapping of sections (repository:, database:, ...)",
                        parser.currentTokenLocation());
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                readSection(parser);
            }
            if (parser.nextToken() != null) {
                throw invalid("holds more than one YAML document", parser.currentTokenLocation());
            }
            return contents;
        } catch (JacksonException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID,
                    file + " is not valid YAML" + where(e) + ": " + problem(e),
                    "indent with spaces, never tabs, and put a space after each ':'", e);
        } catch (IOException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID,
                    "cannot read config file " + file + ": " + e.getMessage(),
                    "check that the file exists and that this user may read it", e);
        }
    }

    private void readSection(JsonParser parser) throws IOException {
        String section = parser.currentName();
        JsonLocation sectionAt = parser.currentTokenLocation();
        if (section.equals(REPOSITORIES)) {
            readRepositories(parser, sectionAt);
            return;
        }
        if (section.equals(DATABASES)) {
            readDatabases(parser, sectionAt);
            return;
        }
        List<String> sections = new ArrayList<>(ConfigKey.sections());
        sections.add(REPOSITORIES);
        sections.add(DATABASES);
        if (!sections.contains(section)) {
            throw unknown(section, sections, sectionAt);
        }
        JsonToken token = parser.nextToken();
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        if (token != JsonToken.START_OBJECT) {
            throw invalid("'" + section + "' must be a section with indented keys below it, not a value",
                    sectionAt);
        }
        readKeys(parser, section);
    }

    /**
     * The keys below {@code prefix}; a key that only starts longer names ({@code oidc:} under
     * {@code web:}) is a sub-section, so {@code web.oidc.issuer} is written as YAML nests it.
     */
    private void readKeys(JsonParser parser, String prefix) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String dotted = prefix + "." + parser.currentName();
            JsonLocation at = parser.currentTokenLocation();
            Optional<ConfigKey> known = ConfigKey.byDotted(dotted);
            if (known.isEmpty() && ConfigKey.allDotted().stream().anyMatch(k -> k.startsWith(dotted + "."))) {
                JsonToken token = parser.nextToken();
                if (token == JsonToken.START_OBJECT) {
                    readKeys(parser, dotted);
                } else if (token != JsonToken.VALUE_NULL) {
                    throw invalid("'" + dotted + "' must be a section with indented keys below it, not a value", at);
                }
                continue;
            }
            ConfigKey key = known.orElseThrow(() -> unknown(dotted,
                    ConfigKey.allDotted().stream().filter(k -> k.startsWith(prefix + ".")).toList(), at));
            readValue(parser, key, dotted, at, lines, contents.values());
        }
    }

    /**
     * {@code repositories:} maps a name to that copy's own settings: {@code path}, the retention
     * keys and the {@code s3.*} keys under their short names.
     */
    private void readRepositories(JsonParser parser, JsonLocation sectionAt) throws IOException {
        if (!contents.repositories().isEmpty()) {
            throw invalid("has two 'repositories' sections", sectionAt);
        }
        JsonToken token = parser.nextToken();
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        if (token != JsonToken.START_OBJECT) {
            throw invalid("'repositories' must map names (such as local:, cloud:) to their settings", sectionAt);
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonLocation nameAt = parser.currentTokenLocation();
            if (!REPOSITORY_NAME.matcher(name).matches()) {
                throw invalid("repository name '" + name + "' must be lowercase letters, digits, '-' or '_' (at most 32)", nameAt);
            }
            if (contents.repositories().containsKey(name)) {
                throw invalid("names repository '" + name + "' twice", nameAt);
            }
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw invalid("repositories." + name + " must be a section with path: and its other settings below it", nameAt);
            }
            Map<ConfigKey, RawValue> entry = new EnumMap<>(ConfigKey.class);
            Map<ConfigKey, Integer> entryLines = new EnumMap<>(ConfigKey.class);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String entryKey = parser.currentName();
                String dotted = REPOSITORIES + "." + name + "." + entryKey;
                JsonLocation at = parser.currentTokenLocation();
                ConfigKey key = ConfigKey.byRepositoryEntryKey(entryKey).orElseThrow(() -> unknown(dotted,
                        ConfigKey.repositoryEntryKeys().stream().map(k -> REPOSITORIES + "." + name + "." + k).toList(), at));
                readValue(parser, key, dotted, at, entryLines, entry);
            }
            contents.repositories().put(name, entry);
        }
    }

    /**
     * {@code databases:} maps a short name to one database's connection keys ({@code host},
     * {@code port}, {@code user}, {@code name}, {@code password-file}, {@code password-env},
     * {@code data-dir}) and its schedule overrides ({@code full}, {@code time-zone}, ...).
     */
    private void readDatabases(JsonParser parser, JsonLocation sectionAt) throws IOException {
        if (!contents.databases().isEmpty()) {
            throw invalid("has two 'databases' sections", sectionAt);
        }
        JsonToken token = parser.nextToken();
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        if (token != JsonToken.START_OBJECT) {
            throw invalid("'databases' must map short names (such as restaurant_ordering:) to their settings", sectionAt);
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonLocation nameAt = parser.currentTokenLocation();
            if (!DATABASE_NAME.matcher(name).matches()) {
                throw invalid("database name '" + name + "' must be lowercase letters, digits, '-' or '_' (at most 63); "
                        + "put the real database name in its name: key", nameAt);
            }
            if (contents.databases().containsKey(name)) {
                throw invalid("names database '" + name + "' twice", nameAt);
            }
            JsonToken entryToken = parser.nextToken();
            Map<ConfigKey, RawValue> entry = new EnumMap<>(ConfigKey.class);
            if (entryToken == JsonToken.VALUE_NULL) {
                contents.databases().put(name, entry);
                continue;
            }
            if (entryToken != JsonToken.START_OBJECT) {
                throw invalid(DATABASES + "." + name + " must be a section with its settings (host:, full:, ...) below it", nameAt);
            }
            Map<ConfigKey, Integer> entryLines = new EnumMap<>(ConfigKey.class);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String entryKey = parser.currentName();
                String dotted = DATABASES + "." + name + "." + entryKey;
                JsonLocation at = parser.currentTokenLocation();
                ConfigKey key = ConfigKey.byDatabaseEntryKey(entryKey).orElseThrow(() -> unknown(dotted,
                        ConfigKey.databaseEntryKeys().stream().map(k -> DATABASES + "." + name + "." + k).toList(), at));
                readValue(parser, key, dotted, at, entryLines, entry);
            }
            contents.databases().put(name, entry);
        }
    }

    private void readValue(JsonParser parser, ConfigKey key, String dotted, JsonLocation at,
            Map<ConfigKey, Integer> lines, Map<ConfigKey, RawValue> into) throws IOException {
        JsonToken token = parser.nextToken();
        String text;
        if (token == JsonToken.START_ARRAY && key.kind() == ConfigKey.Kind.LIST) {
            text = readList(parser, dotted, at);
        } else if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            throw invalid(dotted + " must be a single value, not a "
                    + (token == JsonToken.START_ARRAY ? "list" : "section"), at);
        } else {
            text = token == JsonToken.VALUE_NULL ? null : parser.getText();
        }
        Integer earlier = lines.put(key, at.getLineNr());
        if (earlier != null) {
            throw invalid("sets " + dotted + " twice (first on line " + earlier + ")", at);
        }
        if (text != null) {
            into.put(key, new RawValue(text, file + " line " + at.getLineNr()));
        }
    }

    /** A YAML list of plain values, as the comma-separated text the same key takes elsewhere. */
    private String readList(JsonParser parser, String dotted, JsonLocation at) throws IOException {
        List<String> items = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                throw invalid(dotted + " must be a list of plain values", at);
            }
            items.add(parser.getText());
        }
        return String.join(",", items);
    }

    private CellarException unknown(String key, List<String> candidates, JsonLocation at) {
        return new CellarException(ErrorCode.CONFIG_INVALID,
                "unknown key '" + key + "' in " + file + " line " + at.getLineNr()
                        + Suggestions.didYouMean(key, candidates),
                "docs/configuration.md lists every key");
    }

    private CellarException invalid(String problem, JsonLocation at) {
        return new CellarException(ErrorCode.CONFIG_INVALID,
                file + " line " + at.getLineNr() + " " + problem,
                "docs/configuration.md shows the layout of cellar.yaml");
    }

    /** Where SnakeYAML found the problem; Jackson's location can point at the enclosing block. */
    private static String where(JacksonException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            Mark mark = marked.getProblemMark();
            return " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
        }
        JsonLocation at = e.getLocation();
        return at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    /** SnakeYAML's own words for what is wrong, without the excerpt it draws around it. */
    private static String problem(JacksonException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblem() != null) {
            return marked.getProblem();
        }
        String message = e.getOriginalMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
