package dev.cellar.server.catalog;

import dev.cellar.repo.AuditRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the audit trail into {@code backup_log} rows, without I/O: an operation's "started"
 * record and its closing one ("ok", "failed", "interrupted") become one row; a closing record
 * with no "started" before it (a read-only command, a backup that failed before it began) is a
 * row by itself; a "started" record a broken stale lock says was left behind is "abandoned";
 * one with no end yet is "running". Expire's records mark the backups they deleted.
 */
public final class BackupLogBuilder {
    static final String BACKUP_PREFIX = "backup.";
    static final String STALE_LOCK = "lock.stale";
    /**
     * The web layer's records (logins, refusals, each API call) say who reached the server, not what ran on the
     * repository (an operation started through the API leaves its own records); a refusal's "denied" is no backup_log
     * status, so taking them in would stop every ingest at the first refused request.
     */
    private static final List<String> ACCESS_PREFIXES = List.of("web.", "api ");
    private static final Pattern BACKUP_ID = Pattern.compile("\\d{8}T\\d{6}\\.\\d{3}Z-[0-9a-f]+");
    /** Expire's closing record: "deleted 2 backups (a, b), ..." (see Expire). */
    private static final Pattern EXPIRED_IDS = Pattern.compile("^deleted \\d+ backups \\(([^)]*)\\)");
    /** A broken lock: "the shared lock of user@host (pid 12) taken 2026-...Z was left behind" (see AuditedOperation). */
    private static final Pattern STALE_HOLDER = Pattern.compile("lock of (\\S+)@(\\S+) \\(pid \\d+\\) taken (\\S+) was left behind");

    private BackupLogBuilder() {
    }

    /**
     * @param records every record of the trail, in any order
     * @param backups what the manifests say, by backup id (those not read, or expired, are absent)
     * @param copies  how many copies hold each backup's manifest, by backup id
     */
    public static List<BackupLogEntry> entries(Collection<AuditRecord> records, Map<String, BackupFacts> backups, Map<String, Integer> copies) {
        List<AuditRecord> ordered = records.stream().filter(r -> !AuditRecord.JOIN.equals(r.operation())).filter(r -> !access(r))
                .sorted(Comparator.comparing(AuditRecord::time).thenComparingLong(AuditRecord::sequence)).toList();
        Map<String, Instant> expired = expiredBackups(ordered);
        List<Operation> operations = new ArrayList<>();
        Map<String, List<Operation>> open = new HashMap<>();
        for (AuditRecord record : ordered) {
            if (AuditRecord.STARTED.equals(record.result())) {
                Operation started = new Operation(record);
                operations.add(started);
                open.computeIfAbsent(started.key(), k -> new ArrayList<>()).add(started);
            } else if (STALE_LOCK.equals(record.operation()) && AuditRecord.ABANDONED.equals(record.result())) {
                if (!abandonOpenOperations(record, open)) {
                    operations.add(new Operation(record));
                }
            } else {
                Optional<Operation> started = match(record, open.getOrDefault(keyOf(record), List.of()));
                if (started.isPresent()) {
                    started.get().close(record);
                    open.get(keyOf(record)).remove(started.get());
                } else {
                    Operation alone = new Operation(record);
                    alone.close(record);
                    operations.add(alone);
                }
            }
        }
        return operations.stream().map(o -> o.entry(backups, copies, expired)).toList();
    }

    private static boolean access(AuditRecord record) {
        return ACCESS_PREFIXES.stream().anyMatch(prefix -> record.operation().startsWith(prefix));
    }

    /** The started operation a closing record ends: the newest open one, the one of the same backup id if ids are named. */
    private static Optional<Operation> match(AuditRecord closing, List<Operation> candidates) {
        String id = idIn(closing.detail());
        for (int i = candidates.size() - 1; i >= 0; i--) {
            Operation candidate = candidates.get(i);
            if (id == null || id.equals(candidate.id)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Marks abandoned the open operations of the lock's holder started while it held the lock; false when none. */
    private static boolean abandonOpenOperations(AuditRecord stale, Map<String, List<Operation>> open) {
        Matcher holder = STALE_HOLDER.matcher(stale.detail());
        if (!holder.find()) {
            return false;
        }
        Instant taken;
        try {
            taken = Instant.parse(holder.group(3));
        } catch (RuntimeException e) {
            return false;
        }
        boolean any = false;
        for (List<Operation> list : open.values()) {
            for (Operation operation : List.copyOf(list)) {
                AuditRecord first = operation.first;
                if (first.user().equals(holder.group(1)) && first.host().equals(holder.group(2)) && !first.time().isBefore(taken)
                        && !first.time().isAfter(stale.time())) {
                    operation.close(stale);
                    list.remove(operation);
                    any = true;
                }
            }
        }
        return any;
    }

    private static Map<String, Instant> expiredBackups(List<AuditRecord> ordered) {
        Map<String, Instant> expired = new LinkedHashMap<>();
        for (AuditRecord record : ordered) {
            if ("expire".equals(record.operation()) && AuditRecord.OK.equals(record.result())) {
                Matcher ids = EXPIRED_IDS.matcher(record.detail());
                if (ids.find()) {
                    Arrays.stream(ids.group(1).split(",")).map(String::strip).filter(s -> !s.isEmpty())
                            .forEach(id -> expired.putIfAbsent(id, record.time()));
                }
            }
        }
        return expired;
    }

    private static String keyOf(AuditRecord record) {
        return record.operation() + "\u001f" + record.target() + "\u001f" + record.user() + "\u001f" + record.host();
    }

    /** The backup id an operation's detail starts with ("<id>", "<id> of /data", "<id>: error"), or null. */
    static String idIn(String detail) {
        Matcher m = BACKUP_ID.matcher(detail == null ? "" : detail);
        return m.lookingAt() ? m.group() : null;
    }

    /** An operation being assembled from its records. */
    private static final class Operation {
        final AuditRecord first;
        final String id;
        AuditRecord last;
        String status = BackupLogEntry.RUNNING;

        Operation(AuditRecord first) {
            this.first = first;
            this.id = idIn(first.detail());
            this.last = first;
        }

        String key() {
            return keyOf(first);
        }

        void close(AuditRecord closing) {
            last = closing;
            status = closing.result();
        }

        BackupLogEntry entry(Map<String, BackupFacts> backups, Map<String, Integer> copies, Map<String, Instant> expired) {
            boolean backup = first.operation().startsWith(BACKUP_PREFIX);
            String backupId = backup ? (id != null ? id : idIn(last.detail())) : null;
            BackupFacts facts = backupId == null ? null : backups.get(backupId);
            boolean ended = !BackupLogEntry.RUNNING.equals(status);
            boolean failed = ended && !AuditRecord.OK.equals(status);
            String error = failed ? withoutId(last.detail()) : null;
            Duration duration = !ended ? null
                    : last.durationMillis() > 0 ? Duration.ofMillis(last.durationMillis()) : Duration.between(first.time(), last.time());
            Long stored = backup && AuditRecord.OK.equals(status) ? Long.valueOf(last.bytes()) : null;
            return new BackupLogEntry(first.mac(), first.operation(),
                    backup ? first.operation().substring(BACKUP_PREFIX.length()) : null,
                    facts == null ? null : facts.physicalType(),
                    backup ? databaseOf(facts, first.target()) : null,
                    first.target(), first.time(), ended ? last.time() : null, status,
                    facts == null ? null : facts.sizeBytes(),
                    facts != null ? Long.valueOf(facts.storedBytes()) : stored,
                    duration,
                    backupId == null || !AuditRecord.OK.equals(status) ? null : copies.getOrDefault(backupId, 0),
                    error, last.detail(), backupId,
                    facts == null ? null : facts.parentId(),
                    backupId == null ? null : expired.get(backupId),
                    first.user() + "@" + first.host(), first.sequence(), last.sequence());
        }

        /** A logical backup's database from its manifest; else the database the backup connected to (user@host:port/db). */
        private static String databaseOf(BackupFacts facts, String target) {
            if (facts != null && facts.database() != null) {
                return facts.database();
            }
            int slash = target.lastIndexOf('/');
            return slash < 0 ? target : target.substring(slash + 1);
        }

        private String withoutId(String detail) {
            return id != null && detail.startsWith(id + ": ") ? detail.substring(id.length() + 2) : detail;
        }
    }
}
