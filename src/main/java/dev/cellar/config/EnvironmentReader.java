package dev.cellar.config;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns environment variables into raw settings: the libpq variables ({@code PGHOST} ...) that a
 * DBA's shell already has, and the {@code CELLAR_<SECTION>_<KEY>} overrides. An empty variable
 * counts as unset, as it does for most shell tools.
 */
final class EnvironmentReader {
    private static final Map<String, ConfigKey> LIBPQ = Map.of(
            "PGHOST", ConfigKey.DATABASE_HOST,
            "PGPORT", ConfigKey.DATABASE_PORT,
            "PGUSER", ConfigKey.DATABASE_USER,
            "PGDATABASE", ConfigKey.DATABASE_NAME,
            "PGSSLMODE", ConfigKey.DATABASE_SSLMODE,
            "PGSSLROOTCERT", ConfigKey.DATABASE_SSLROOTCERT,
            "PGSSLCERT", ConfigKey.DATABASE_SSLCERT,
            "PGSSLKEY", ConfigKey.DATABASE_SSLKEY);

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
     * systemd unit does not silently fall back to the file. A deprecated name still counts, with
     * a warning, when the current one is unset.
     *
     * @param namedBySettings variables that {@code *-env} settings name as holding a secret: they
     *                        may look like settings ({@code CELLAR_S3_...}) and are not rejected
     */
    static Map<ConfigKey, RawValue> cellar(Map<String, String> env, Set<String> namedBySettings, Consumer<String> warnings) {
        Map<ConfigKey, RawValue> values = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            put(values, key, env, key.env());
            key.deprecatedEnv().ifPresent(old -> readDeprecated(values, key, env, old, warnings));
        }
        List<String> known = knownVariables();
        for (String variable : env.keySet()) {
            if (looksLikeSetting(variable) && !known.contains(variable) && !namedBySettings.contains(variable)) {
                throw new CellarException(ErrorCode.CONFIG_INVALID,
                        "unknown setting in environment variable " + variable
                                + Suggestions.didYouMean(variable, known),
                        "unset it; docs/configuration.md lists every CELLAR_* variable");
            }
        }
        return values;
    }

    /** Every {@code CELLAR_*} name Cellar reads: the settings' variables, their deprecated names, and the others. */
    static List<String> knownVariables() {
        List<String> known = new ArrayList<>();
        for (ConfigKey key : ConfigKey.values()) {
            known.add(key.env());
            key.deprecatedEnv().ifPresent(known::add);
        }
        // includes the variables that hold a secret itself (CELLAR_PASSPHRASE): read only when resolved
        known.addAll(CellarVariable.allVariables());
        return known;
    }

    private static void readDeprecated(Map<ConfigKey, RawValue> values, ConfigKey key, Map<String, String> env, String old,
            Consumer<String> warnings) {
        String text = env.get(old);
        if (text == null || text.isEmpty()) {
            return;
        }
        RawValue current = values.get(key);
        if (current != null && !current.text().equals(text)) {
            throw new CellarException(ErrorCode.CONFIG_INVALID,
                    old + " (a deprecated name of " + key.env() + ") is '" + text + "' but " + key.env() + " is '"
                            + current.text() + "'",
                    "unset " + old + "; " + key.env() + " is the name to use");
        }
        if (current == null) {
            values.put(key, new RawValue(text, old));
        }
        warnings.accept(old + " is a deprecated name of " + key.env() + " (" + key.dotted() + "); rename it, "
                + "the old name will stop working in a later release");
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
