package dev.cellar.restore;

import java.time.Duration;
import java.util.List;

/**
 * What a restore did: which backup went where, how much, how long.
 *
 * @param foreignKeysLeftOut foreign keys of restored tables that were not created because the table
 *                           they reference is missing from the target ("schema.table constraint")
 */
public record RestoreResult(String backupId, String targetDatabase, List<String> tables, long bytes, Duration duration,
                            boolean replacedExisting, List<String> foreignKeysLeftOut) {
}
