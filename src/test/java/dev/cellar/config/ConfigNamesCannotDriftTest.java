package dev.cellar.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.backup.LogicalBackup;
import dev.cellar.backup.PhysicalBackup;
import dev.cellar.web.audit.WebEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every name of a setting or {@code CELLAR_*} variable that an operator can read (docs, README,
 * the example file, the launcher and bench scripts, and the strings and comments of the code) is
 * one the tables ({@link ConfigKey}, {@link CellarVariable}) know, and docs/configuration.md lists
 * every name the tables hold. A name that drifted, such as the {@code CELLAR_PG_BIN_DIR} that the
 * docs and the exit-7 hint once gave while Cellar read another variable, fails here, named with
 * the file and line it is on.
 */
class ConfigNamesCannotDriftTest {
    private static final Pattern VARIABLE = Pattern.compile("CELLAR_[A-Z0-9_]*");
    /** section.key, not part of a longer dotted name (a host, a package) or a path, not followed by a call. */
    private static final Pattern DOTTED = Pattern.compile("(?<![\\w.$/-])(" + String.join("|", ConfigKey.sections())
            + ")\\.([a-z0-9]+(?:-[a-z0-9]+)*)(?![\\w(-]|\\.\\w)");
    /** section.md, s3.sh: files, not settings. */
    private static final Set<String> FILE_SUFFIXES = Set.of("md", "sh", "yaml", "yml", "json", "txt", "log", "conf", "java",
            "jar", "key", "sql", "lock");
    /** The misspelt variable of the "unknown setting" example in docs/configuration.md's list of errors. */
    private static final Set<String> DELIBERATE_MISSPELLINGS = Set.of("CELLAR_DATABASE_PROT");
    /** {@code access-key-id-env: NAME}: the value is a variable the operator names, whatever it is called. */
    private static final Pattern NAMED_BY_OPERATOR = Pattern.compile("(-env:\\s+)[A-Za-z_][A-Za-z0-9_]*");
    /** Dotted names that look like settings and are other things the code defines: audit operations. */
    private static final Set<String> NOT_SETTINGS = java.util.stream.Stream.concat(
            Stream.of(LogicalBackup.AUDIT_OPERATION, PhysicalBackup.AUDIT_OPERATION, dev.cellar.verify.RestoreTest.AUDIT_OPERATION),
            dev.cellar.web.auth.AuthAuditOperations.ALL.stream()).collect(java.util.stream.Collectors.toUnmodifiableSet());

    @Test
    void everyNameAnOperatorCanReadIsInTheTables() throws IOException {
        Map<String, String> unknown = new LinkedHashMap<>();
        for (Path file : readableFiles()) {
            String text = Files.readString(file);
            if (file.toString().endsWith(".java")) {
                text = ProseOfJava.of(text);
            }
            unknown.putAll(unknownNames(root().relativize(file).toString(), text));
            if (file.toString().endsWith(".yaml")) {
                unknown.putAll(unknownYamlKeys(root().relativize(file).toString(), text));
            } else if (file.toString().endsWith(".md")) {
                unknown.putAll(unknownYamlKeys(root().relativize(file).toString(), yamlBlocksOf(text)));
            }
        }
        assertThat(unknown).as("names of settings or variables that ConfigKey and CellarVariable do not know").isEmpty();
    }

    @Test
    void configurationDocListsEveryKeyWithItsVariable() throws IOException {
        Map<String, String> rows = tableRows(section(configurationDoc(), "## Every key"));
        Map<String, String> expected = new LinkedHashMap<>();
        for (ConfigKey key : ConfigKey.values()) {
            expected.put(key.dotted(), key.env());
        }
        assertThat(rows).as("the rows of docs/configuration.md 'Every key': `key` -> `variable`")
                .containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void configurationDocListsEveryOtherVariableAndDeprecatedName() throws IOException {
        String section = section(configurationDoc(), "## Other variables");
        Set<String> listed = new TreeSet<>(tableRows(section).keySet());
        Set<String> expected = new TreeSet<>(CellarVariable.allVariables());
        Arrays.stream(ConfigKey.values()).forEach(k -> k.deprecatedEnv().ifPresent(expected::add));
        assertThat(listed).as("the variables listed in docs/configuration.md 'Other variables'").isEqualTo(expected);
        for (ConfigKey key : ConfigKey.values()) {
            key.deprecatedEnv().ifPresent(old -> assertThat(section.lines().filter(l -> l.startsWith("| `" + old + "`")).findFirst())
                    .as("the row of " + old).hasValueSatisfying(row -> assertThat(row).contains("deprecated").contains(key.env())));
        }
    }

    @Test
    void scannerFindsDriftedNamesAndAcceptsTheTablesOwn() {
        String prose = """
                Set CELLAR_PG_BINDIR or postgres.bindir, CELLAR_POSTGRES_BIN_DIR or postgres.bin-dir; access-key-id-env: CELLAR_MY_KEY
                CELLAR_S3_* are the s3 variables, CELLAR_NOPE_* none; see backup.md, s3.amazonaws.com and
                the audit operation backup.logical; database.host/port.
                """;
        assertThat(unknownNames("doc.md", prose).keySet()).containsExactlyInAnyOrder(
                "doc.md:1: CELLAR_PG_BINDIR", "doc.md:1: postgres.bindir", "doc.md:2: CELLAR_NOPE_");
        String yaml = """
                backup:
                  jobs: 4
                  # work-dir: /var/tmp/cellar
                  # Env: CELLAR_BACKUP_JOBS. Flag: --jobs
                  compresion-level: 3
                repositories:
                  cloud:
                    path: s3://bucket/prefix
                    storage-clas: standard
                """;
        assertThat(unknownYamlKeys("x.yaml", yaml).keySet()).containsExactlyInAnyOrder(
                "x.yaml:5: backup.compresion-level", "x.yaml:9: repositories.cloud.storage-clas");
        assertThat(ProseOfJava.of("""
                int CELLAR_X = 1; // says CELLAR_Y
                String s = "CELLAR_Z \\" backup.jobs"; /* backup.work-dir */ call(backup.id);
                """)).contains("CELLAR_Y", "CELLAR_Z", "backup.jobs", "backup.work-dir").doesNotContain("CELLAR_X", "backup.id");
    }

    private static Map<String, String> unknownNames(String file, String text) {
        Set<String> variables = new LinkedHashSet<>(EnvironmentReader.knownVariables());
        Set<String> dotted = new LinkedHashSet<>(ConfigKey.allDotted());
        Arrays.stream(SecretName.values()).forEach(s -> dotted.add(s.key()));
        dotted.addAll(NOT_SETTINGS);
        Map<String, String> unknown = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String where = file + ":" + (i + 1) + ": ";
            Matcher variable = VARIABLE.matcher(NAMED_BY_OPERATOR.matcher(lines.get(i)).replaceAll("$1"));
            while (variable.find()) {
                String name = variable.group();
                boolean known = name.endsWith("_") ? variables.stream().anyMatch(v -> v.startsWith(name)) : variables.contains(name);
                if (!known && !DELIBERATE_MISSPELLINGS.contains(name)) {
                    unknown.put(where + name, lines.get(i).strip());
                }
            }
            Matcher key = DOTTED.matcher(lines.get(i));
            while (key.find()) {
                if (!FILE_SUFFIXES.contains(key.group(2)) && !dotted.contains(key.group())) {
                    unknown.put(where + key.group(), lines.get(i).strip());
                }
            }
        }
        return unknown;
    }

    /**
     * Keys of a Cellar YAML file, written or commented out ({@code # key-file: ...}): under a
     * section, {@code section.key}; under {@code repositories:}, the keys an entry may hold.
     */
    private static Map<String, String> unknownYamlKeys(String file, String yaml) {
        Pattern keyLine = Pattern.compile("^( *)(?:# ?)?([a-z][a-z0-9-]*):(?: |$)");
        Set<String> sections = new LinkedHashSet<>(ConfigKey.sections());
        Map<String, String> unknown = new LinkedHashMap<>();
        String section = null;
        // web.oidc while reading the keys indented under oidc: in web:
        String subsection = null;
        List<String> lines = yaml.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher m = keyLine.matcher(line);
            if (!m.find()) {
                continue;
            }
            int indent = m.group(1).length();
            String name = m.group(2);
            if (indent == 0 && !line.startsWith("#")) {
                section = name;
                subsection = null;
                if (!sections.contains(name) && !name.equals(YamlFileReader.REPOSITORIES) && !name.equals(YamlFileReader.DATABASES)) {
                    unknown.put(file + ":" + (i + 1) + ": " + name, "not a section of cellar.yaml");
                }
            } else if (section != null && indent == 2 && sections.contains(section)) {
                String dotted = section + "." + name;
                boolean subSection = ConfigKey.allDotted().stream().anyMatch(k -> k.startsWith(dotted + "."));
                subsection = subSection ? dotted : null;
                if (ConfigKey.byDotted(dotted).isEmpty() && !subSection) {
                    unknown.put(file + ":" + (i + 1) + ": " + dotted, line.strip());
                }
            } else if (subsection != null && indent == 4 && sections.contains(section)) {
                if (ConfigKey.byDotted(subsection + "." + name).isEmpty()) {
                    unknown.put(file + ":" + (i + 1) + ": " + subsection + "." + name, line.strip());
                }
            } else if (section != null && indent == 4 && section.equals(YamlFileReader.REPOSITORIES)) {
                if (ConfigKey.byRepositoryEntryKey(name).isEmpty()) {
                    String entry = previousEntry(lines, i);
                    unknown.put(file + ":" + (i + 1) + ": " + section + "." + entry + "." + name, line.strip());
                }
            } else if (section != null && indent == 4 && section.equals(YamlFileReader.DATABASES)) {
                if (ConfigKey.byDatabaseEntryKey(name).isEmpty()) {
                    String entry = previousEntry(lines, i);
                    unknown.put(file + ":" + (i + 1) + ": " + section + "." + entry + "." + name, line.strip());
                }
            }
        }
        return unknown;
    }

    private static String previousEntry(List<String> lines, int from) {
        for (int i = from; i >= 0; i--) {
            Matcher m = Pattern.compile("^  ([a-z0-9][a-z0-9_-]*):").matcher(lines.get(i));
            if (m.find()) {
                return m.group(1);
            }
        }
        return "?";
    }

    /**
     * The ```yaml blocks of a markdown page that configure Cellar (a block with no Cellar section
     * is some other program's YAML), each line kept at its line number so reports point right.
     */
    private static String yamlBlocksOf(String markdown) {
        List<String> lines = markdown.lines().toList();
        List<String> kept = new ArrayList<>(java.util.Collections.nCopies(lines.size(), ""));
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```yaml")) {
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).strip().startsWith("```")) {
                end++;
            }
            List<String> block = lines.subList(i + 1, end);
            boolean cellars = block.stream().anyMatch(l -> ConfigKey.sections().stream().anyMatch(s -> l.equals(s + ":"))
                    || l.equals(YamlFileReader.REPOSITORIES + ":") || l.equals(YamlFileReader.DATABASES + ":"));
            if (cellars) {
                for (int j = i + 1; j < end; j++) {
                    kept.set(j, lines.get(j));
                }
            }
            i = end;
        }
        return String.join("\n", kept);
    }

    /** `first cell` -> `third cell` of each row of the first table in {@code section}, backquotes removed. */
    private static Map<String, String> tableRows(String section) {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : section.lines().filter(l -> l.startsWith("| `")).toList()) {
            String[] cells = line.split("\\|");
            String first = cells[1].strip().replace("`", "");
            String third = cells.length > 3 ? cells[3].strip().replace("`", "") : "";
            rows.put(first, third);
        }
        return rows;
    }

    private static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        assertThat(start).as("docs/configuration.md has a section '" + heading + "'").isNotNegative();
        int end = markdown.indexOf("\n## ", start + heading.length() + 1);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    private static String configurationDoc() throws IOException {
        return Files.readString(root().resolve("docs/configuration.md"));
    }

    private static List<Path> readableFiles() throws IOException {
        List<Path> files = new ArrayList<>(List.of(root().resolve("README.md"), root().resolve("cellar.example.yaml"),
                root().resolve("cellar")));
        for (String folder : List.of("docs", "bench", "src/main/java")) {
            try (Stream<Path> walk = Files.walk(root().resolve(folder))) {
                files.addAll(walk.filter(Files::isRegularFile)
                        .filter(f -> Stream.of(".md", ".sh", ".java", ".yaml").anyMatch(f.toString()::endsWith)).sorted().toList());
            }
        }
        assertThat(files.stream().filter(f -> f.toString().endsWith(".java")).count()).as("main sources found").isGreaterThan(100);
        return files;
    }

    private static Path root() {
        String basedir = System.getProperty("basedir");
        return basedir != null ? Path.of(basedir) : Path.of("").toAbsolutePath();
    }

    /**
     * What an operator can read in a Java source: its string literals (messages, hints, picocli
     * help) and its comments; the code between them is blanked, lines kept, so identifiers such as
     * a constant named {@code CELLAR_MANAGED} or a call {@code backup.id()} are not taken for names.
     */
    static final class ProseOfJava {
        private ProseOfJava() {
        }

        static String of(String source) {
            StringBuilder out = new StringBuilder(source.length());
            int i = 0;
            while (i < source.length()) {
                if (source.startsWith("//", i)) {
                    int end = source.indexOf('\n', i);
                    end = end < 0 ? source.length() : end;
                    out.append(source, i, end);
                    i = end;
                } else if (source.startsWith("/*", i)) {
                    int end = source.indexOf("*/", i + 2);
                    end = end < 0 ? source.length() : end + 2;
                    out.append(source, i, end);
                    i = end;
                } else if (source.startsWith("\"\"\"", i)) {
                    int end = source.indexOf("\"\"\"", i + 3);
                    end = end < 0 ? source.length() : end + 3;
                    out.append(source, i, end);
                    i = end;
                } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                    char quote = source.charAt(i);
                    int end = i + 1;
                    while (end < source.length() && source.charAt(end) != quote && source.charAt(end) != '\n') {
                        end += source.charAt(end) == '\\' ? 2 : 1;
                    }
                    end = Math.min(end + 1, source.length());
                    out.append(' ').append(source, i, end).append(' ');
                    i = end;
                } else {
                    out.append(source.charAt(i) == '\n' ? '\n' : ' ');
                    i++;
                }
            }
            return out.toString();
        }
    }
}
