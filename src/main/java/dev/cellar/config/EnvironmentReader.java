package dev.cellar.config;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns environment variables into raw settings: the libpq variables ({@code PGHOST} ...) that a
 * DBA's shell already has, and the {@code CELLAR_<SECTION>_<KEY>} overrides. An empty variable
 * counts as unset, as it does for most shell tools.
 */
final class EnvironmentReader {
    /** Variables that hold a secret itself, not a setting; they are read only when resolved. */
    private static final Set<String> SECRET_VARIABLES = Arrays.stream(SecretName.values())
            .flatMap(s -> s.envVariables().stream()).collect(Collectors.toSet());

    private static final Map<String, ConfigKey> LIBPQ = Map.of(
            "PGHOST", ConfigKey.DATABASE_HOST,
            "PGPORT", ConfigKey.DATABASE_PORT,
            "PGUSER", ConfigKey.DATABASE_USER,
            "PGDATABASE", ConfigKey.DATABASE_NAME);

    private EnvironmentReader() {
    }

    /** Defaults from the libpq variables; they rank below the config file. */
    static Map<ConfigKey, RawValue> libpq(Map<String, String> env) {
        Map<ConfigKey, RawValue> values = new EnumMap<>(ConfigKey.class);
        LIBPQ.forEach((variable, key) -> put(values, key, env, variable));
        return values;
    }

    /**
     * The {@code CELLAR_*} overrides; they rank above the config file. A variable that starts
     * like a setting of a known section but names no setting is rejected, so a typo in a
     * systemd unit does not silently fall back to the file.
     */
    static Map<ConfigKey, RawValue> cellar(Map<String, String> env) {
        Map<ConfigKey, RawValue> values = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            put(values, key, env, key.envVariable());
        }
        List<String> known = Arrays.stream(ConfigKey.values()).map(ConfigKey::envVariable).toList();
        for (String variable : env.keySet()) {
            if (looksLikeSetting(variable) && !known.contains(variable)
                    && !SECRET_VARIABLES.contains(variable)) {
                throw new CellarException(ErrorCode.CONFIG_INVALID,
                        "unknown setting in environment variable " + variable
                                + Suggestions.didYouMean(variable, known),
                        "unset it; docs/configuration.md lists every CELLAR_* variable");
            }
        }
        return values;
    }

    private static boolean looksLikeSetting(String variable) {
        return ConfigKey.sections().stream()
                .anyMatch(s -> variable.startsWith("CELLAR_" + s.toUpperCase(Locale.ROOT) + "_"));
    }

    private static void put(Map<ConfigKey, RawValue> values, ConfigKey key, Map<String, String> env,
            String variable) {
        String text = env.get(variable);
        if (text != null && !text.isEmpty()) {
            values.put(key, new RawValue(text, variable));
        }
    }
}
