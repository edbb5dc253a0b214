package dev.cellar.config;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Builds the {@link CellarConfig} from its four sources, each overriding the one before:
 * built-in defaults (with libpq's {@code PG*} variables), {@code cellar.yaml}, {@code CELLAR_*}
 * variables, then command-line overrides. Every value is checked here, once, with an error that
 * names the key, the problem and the source.
 */
public final class ConfigLoader {
    private static final String COMMAND_LINE = "the command line";

    private ConfigLoader() {
    }

    /** The configuration file {@link #load} reads for these arguments, if any (absolute). */
    public static Optional<Path> configFile(Path yamlFileOrNull, Map<String, String> env) {
        return new ConfigFileLocator(Path.of("")).locate(yamlFileOrNull, env).map(Path::toAbsolutePath);
    }

    /**
     * Loads the configuration; warnings (a deprecated variable name in use) go to stderr.
     *
     * @param yamlFileOrNull an explicit config file, which must exist; null to look for
     *                       {@code CELLAR_CONFIG}, then {@code ./cellar.yaml}
     * @param env            the process environment (pass {@code System.getenv()})
     * @param overrides      values from command-line flags, keyed by dotted name such as
     *                       {@code repository.path}
     * @throws CellarException {@code CONFIG_INVALID} for any missing file, unknown key or bad value
     */
    public static CellarConfig load(Path yamlFileOrNull, Map<String, String> env, Map<String, String> overrides) {
        return load(yamlFileOrNull, env, overrides, warning -> System.err.println("warning: " + warning));
    }

    /** As {@link #load(Path, Map, Map)}, handing warnings (a deprecated variable name) to {@code warnings}. */
    public static CellarConfig load(Path yamlFileOrNull, Map<String, String> env, Map<String, String> overrides,
            Consumer<String> warnings) {
        YamlFileReader.Contents file = new ConfigFileLocator(Path.of(""))
                .locate(yamlFileOrNull, env)
                .map(YamlFileReader::read)
                .orElseGet(YamlFileReader.Contents::empty);
        Map<ConfigKey, RawValue> commandLine = commandLine(overrides);
        Map<ConfigKey, RawValue> environment = EnvironmentReader.cellar(env, variablesNamedBySettings(file, env, commandLine),
                warnings);
        Settings settings = new Settings(List.of(
                EnvironmentReader.libpq(env),
                file.values(),
                environment,
                commandLine));
        Map<String, Map<ConfigKey, RawValue>> named = file.repositories();
        if (!named.isEmpty() && file.values().containsKey(ConfigKey.REPOSITORY_PATH)) {
            throw new CellarException(ErrorCode.CONFIG_INVALID,
                    "set either repository.path (" + file.values().get(ConfigKey.REPOSITORY_PATH).origin()
                            + ") or a repositories: section, not both",
                    "with several copies, list each one under repositories: with its own path:");
        }
        // a location given for this one command (--repo, CELLAR_REPOSITORY_PATH) stands for all configured copies
        boolean oneLocationGiven = environment.containsKey(ConfigKey.REPOSITORY_PATH)
                || commandLine.containsKey(ConfigKey.REPOSITORY_PATH);
        return new ConfigAssembler(settings, oneLocationGiven ? Map.of() : named, file.databases(), env).assemble();
    }

    /**
     * The variables that {@code *-env} settings name, from any source: they hold a secret and may
     * be called anything, {@code CELLAR_S3_...} included, without being taken for a mistyped setting.
     */
    private static Set<String> variablesNamedBySettings(YamlFileReader.Contents file, Map<String, String> env,
            Map<ConfigKey, RawValue> commandLine) {
        List<Map<ConfigKey, RawValue>> sources = new ArrayList<>(List.of(file.values(), commandLine));
        sources.addAll(file.repositories().values());
        sources.addAll(file.databases().values());
        Set<String> named = new HashSet<>();
        for (ConfigKey key : ConfigKey.values()) {
            if (key.kind() == ConfigKey.Kind.ENV_NAME) {
                sources.forEach(source -> Optional.ofNullable(source.get(key)).ifPresent(raw -> named.add(raw.text().strip())));
                Optional.ofNullable(env.get(key.env())).ifPresent(variable -> named.add(variable.strip()));
            }
        }
        return named;
    }

    private static Map<ConfigKey, RawValue> commandLine(Map<String, String> overrides) {
        Map<ConfigKey, RawValue> values = new EnumMap<>(ConfigKey.class);
        overrides.forEach((dotted, text) -> {
            ConfigKey key = ConfigKey.byDotted(dotted).orElseThrow(() -> new CellarException(
                    ErrorCode.CONFIG_INVALID,
                    "unknown key '" + dotted + "' (from " + COMMAND_LINE + ")"
                            + Suggestions.didYouMean(dotted, ConfigKey.allDotted()),
                    "docs/configuration.md lists every key"));
            values.put(key, new RawValue(text, COMMAND_LINE));
        });
        return values;
    }
}
