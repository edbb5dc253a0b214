package dev.cellar.config;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The raw settings of all sources merged by precedence, read back as typed values. Type and range
 * errors are raised here, where the source of each value is still known.
 */
final class Settings {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Settings that name the same thing in different ways; a higher source setting one clears the other. */
    private static final List<List<ConfigKey>> ALTERNATIVES = List.of(
            List.of(ConfigKey.REPOSITORY_PASSPHRASE_FILE, ConfigKey.REPOSITORY_PASSPHRASE_ENV),
            List.of(ConfigKey.DATABASE_PASSWORD_FILE, ConfigKey.DATABASE_PASSWORD_ENV),
            List.of(ConfigKey.ALERTS_SMTP_PASSWORD_FILE, ConfigKey.ALERTS_SMTP_PASSWORD_ENV),
            List.of(ConfigKey.ALERTS_WEBHOOK_SECRET_FILE, ConfigKey.ALERTS_WEBHOOK_SECRET_ENV));

    private final Map<ConfigKey, RawValue> merged = new EnumMap<>(ConfigKey.class);

    /** Merges {@code layers}, lowest precedence first. */
    Settings(List<Map<ConfigKey, RawValue>> layers) {
        layers.forEach(this::apply);
    }

    /** These settings with one more layer on top (a named repository's own settings). */
    Settings with(Map<ConfigKey, RawValue> layer) {
        Settings settings = new Settings(List.of(merged));
        settings.apply(layer);
        return settings;
    }

    boolean isSet(ConfigKey key) {
        return merged.containsKey(key);
    }

    /** Where a setting came from ("cellar.yaml line 4", "CELLAR_REPOSITORY_PATH"), for messages. */
    Optional<String> origin(ConfigKey key) {
        return Optional.ofNullable(merged.get(key)).map(RawValue::origin);
    }

    Optional<Boolean> bool(ConfigKey key) {
        return text(key).map(text -> switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw invalid(key, "must be true or false, got '" + text + "'", merged.get(key));
        });
    }

    /** A comma-separated (or YAML list) setting, each item trimmed, empty items dropped. */
    Optional<List<String>> list(ConfigKey key) {
        return text(key).map(text -> java.util.Arrays.stream(text.split(",")).map(String::strip)
                .filter(item -> !item.isEmpty()).toList());
    }

    /** A setting that must be one of {@code allowed} (compared ignoring case, '-' and '_' alike). */
    Optional<String> choice(ConfigKey key, List<String> allowed) {
        return text(key).map(text -> {
            String normal = text.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            if (!allowed.contains(normal)) {
                throw invalid(key, "must be one of " + String.join(", ", allowed) + ", got '" + text + "'", merged.get(key));
            }
            return normal;
        });
    }

    CellarException invalid(ConfigKey key, String problem) {
        RawValue raw = merged.get(key);
        return raw == null ? new CellarException(ErrorCode.CONFIG_INVALID, key.dotted() + " " + problem,
                "docs/configuration.md describes " + key.dotted()) : invalid(key, problem, raw);
    }

    private void apply(Map<ConfigKey, RawValue> layer) {
        for (List<ConfigKey> group : ALTERNATIVES) {
            List<ConfigKey> set = group.stream().filter(layer::containsKey).toList();
            if (set.size() > 1) {
                throw new CellarException(ErrorCode.CONFIG_INVALID,
                        "set only one of " + set.get(0).dotted() + " (from " + layer.get(set.get(0)).origin()
                                + ") and " + set.get(1).dotted() + " (from " + layer.get(set.get(1)).origin() + ")",
                        "a secret comes from one place; remove the other setting");
            }
            if (set.size() == 1) {
                group.forEach(merged::remove);
            }
        }
        merged.putAll(layer);
    }

    Optional<String> text(ConfigKey key) {
        RawValue raw = merged.get(key);
        if (raw == null) {
            return Optional.empty();
        }
        String text = raw.text().strip();
        if (text.isEmpty()) {
            throw invalid(key, "must not be empty", raw);
        }
        if (key.kind() == ConfigKey.Kind.ENV_NAME && !ENV_NAME.matcher(text).matches()) {
            throw invalid(key, "must be an environment variable name such as CELLAR_PASSPHRASE, got '"
                    + text + "'", raw);
        }
        return Optional.of(text);
    }

    Optional<Path> path(ConfigKey key) {
        return text(key).map(text -> {
            try {
                return Path.of(text);
            } catch (InvalidPathException e) {
                throw invalid(key, "must be a file path, got '" + text + "': " + e.getReason(), merged.get(key));
            }
        });
    }

    Optional<Integer> integer(ConfigKey key) {
        RawValue raw = merged.get(key);
        if (raw == null) {
            return Optional.empty();
        }
        String text = raw.text().strip();
        try {
            int value = Integer.parseInt(text);
            if (key.inRange(value)) {
                return Optional.of(value);
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range, the same as a value out of range
        }
        throw key.invalid(text, raw.origin());
    }

    private static CellarException invalid(ConfigKey key, String problem, RawValue raw) {
        return new CellarException(ErrorCode.CONFIG_INVALID,
                key.dotted() + " " + problem + " (from " + raw.origin() + ")",
                "docs/configuration.md describes " + key.dotted());
    }
}
