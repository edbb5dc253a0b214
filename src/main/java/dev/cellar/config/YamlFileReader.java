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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code cellar.yaml} into raw settings, remembering the line each came from. It walks the
 * token stream rather than binding to classes so that a typo, a duplicate or a misplaced value
 * is reported with its line and a suggestion instead of a generic mapping error.
 */
final class YamlFileReader {
    private final Path file;
    private final Map<ConfigKey, RawValue> values = new EnumMap<>(ConfigKey.class);
    private final Map<ConfigKey, Integer> lines = new EnumMap<>(ConfigKey.class);

    private YamlFileReader(Path file) {
        this.file = file.toAbsolutePath();
    }

    /** The settings in {@code file}; YAML nulls ({@code key:} with no value) count as unset. */
    static Map<ConfigKey, RawValue> read(Path file) {
        return new YamlFileReader(file).read();
    }

    private Map<ConfigKey, RawValue> read() {
        try (JsonParser parser = new YAMLFactory().createParser(file.toFile())) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return values;
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
            return values;
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
        List<String> sections = ConfigKey.sections();
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
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            readValue(parser, section);
        }
    }

    private void readValue(JsonParser parser, String section) throws IOException {
        String dotted = section + "." + parser.currentName();
        JsonLocation at = parser.currentTokenLocation();
        ConfigKey key = ConfigKey.byDotted(dotted).orElseThrow(() -> unknown(dotted,
                ConfigKey.allDotted().stream().filter(k -> k.startsWith(section + ".")).toList(), at));
        JsonToken token = parser.nextToken();
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            throw invalid(dotted + " must be a single value, not a "
                    + (token == JsonToken.START_ARRAY ? "list" : "section"), at);
        }
        Integer earlier = lines.put(key, at.getLineNr());
        if (earlier != null) {
            throw invalid("sets " + dotted + " twice (first on line " + earlier + ")", at);
        }
        if (token != JsonToken.VALUE_NULL) {
            values.put(key, new RawValue(parser.getText(), file + " line " + at.getLineNr()));
        }
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
