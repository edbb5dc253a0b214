package dev.cellar.restore;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes what makes PostgreSQL (12 and later) recover instead of starting normally: the
 * recovery settings at the end of {@code postgresql.auto.conf} and an empty
 * {@code recovery.signal}. There is no {@code recovery.conf} any more; a server that finds one
 * refuses to start.
 */
final class RecoveryConfig {
    private static final Set<String> REPLACED = Set.of("restore_command", "recovery_target", "recovery_target_time",
            "recovery_target_lsn", "recovery_target_xid", "recovery_target_name", "recovery_target_inclusive",
            "recovery_target_timeline", "recovery_target_action", "recovery_end_command", "primary_conninfo", "primary_slot_name");

    private RecoveryConfig() {
    }

    /**
     * @param extra further settings (port, archive_mode) written after the recovery ones
     */
    static void write(Path dataDir, String restoreCommand, Map<String, String> targetSettings, Map<String, String> extra,
                      String backupId, Instant now) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("restore_command", restoreCommand);
        settings.putAll(targetSettings);
        settings.putAll(extra);
        Path autoConf = dataDir.resolve("postgresql.auto.conf");
        try {
            List<String> lines = new ArrayList<>();
            if (Files.exists(autoConf)) {
                for (String line : Files.readAllLines(autoConf, StandardCharsets.UTF_8)) {
                    if (!settings.containsKey(settingName(line)) && !REPLACED.contains(settingName(line))) {
                        lines.add(line);
                    }
                }
            }
            lines.add("# Written by 'cellar restore pitr' at " + now + " from backup " + backupId + ".");
            lines.add("# PostgreSQL reads the recovery settings only while recovery.signal exists.");
            settings.forEach((name, value) -> lines.add(name + " = '" + value.replace("'", "''") + "'"));
            Files.write(autoConf, lines, StandardCharsets.UTF_8);
            Files.deleteIfExists(dataDir.resolve("standby.signal"));
            Files.deleteIfExists(dataDir.resolve("recovery.conf"));
            Files.write(dataDir.resolve("recovery.signal"), new byte[0]);
        } catch (IOException e) {
            throw new CellarException(ErrorCode.INTERNAL, "cannot write the recovery settings into " + autoConf + ": " + e.getMessage(),
                    "check free space and permissions of " + dataDir);
        }
    }

    private static String settingName(String line) {
        String trimmed = line.strip();
        int equals = trimmed.indexOf('=');
        return trimmed.startsWith("#") || equals < 0 ? "" : trimmed.substring(0, equals).strip();
    }
}
