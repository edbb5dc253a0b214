package dev.cellar.restore;

import java.time.Duration;
import java.util.List;

/** What a restore did: which backup went where, how much, how long. */
public record RestoreResult(String backupId, String targetDatabase, List<String> tables, long bytes, Duration duration,
                            boolean replacedExisting) {
}
