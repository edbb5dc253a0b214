package dev.cellar.verify;

import dev.cellar.repo.AuditRecord;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the audit trail says about the backups: which finished (a backup's "ok" record names its
 * id) and which Cellar's own expire deleted or set out to delete (its "started" record names the
 * backups it plans to delete before it deletes any, its "ok" record those it deleted). A backup
 * that finished and was never expired must be in the repository; verify checks that.
 *
 * @param finished backup id to the sequence of the record that says it finished
 * @param expired  ids an expire deleted or was about to delete
 */
record AuditedBackups(Map<String, Long> finished, Set<String> expired) {
    private static final String BACKUP_OPERATIONS = "backup.";
    private static final String EXPIRE_OPERATION = "expire";
    private static final String DRY_RUN = "dry run";
    /** "delete 2 backups (a, b)" (the plan, recorded first) and "deleted 2 backups (a, b)" (the outcome): see Expire. */
    private static final Pattern EXPIRED_IDS = Pattern.compile("\\bdelete(?:d)? \\d+ backups \\(([^)]*)\\)");
    private static final Pattern BACKUP_ID = Pattern.compile("[0-9A-Za-z_.-]+");

    static AuditedBackups of(Collection<AuditRecord> records) {
        Map<String, Long> finished = new LinkedHashMap<>();
        Set<String> expired = new TreeSet<>();
        for (AuditRecord record : records) {
            if (record.operation().startsWith(BACKUP_OPERATIONS) && AuditRecord.OK.equals(record.result())
                    && BACKUP_ID.matcher(record.detail()).matches()) {
                finished.put(record.detail(), record.sequence());
            } else if (record.operation().equals(EXPIRE_OPERATION) && !record.detail().startsWith(DRY_RUN)
                    && (AuditRecord.OK.equals(record.result()) || AuditRecord.STARTED.equals(record.result()))) {
                Matcher ids = EXPIRED_IDS.matcher(record.detail());
                if (ids.find()) {
                    Arrays.stream(ids.group(1).split(",")).map(String::strip).filter(id -> !id.isEmpty()).forEach(expired::add);
                }
            }
        }
        return new AuditedBackups(finished, expired);
    }

    /** Whether the trail says Cellar's own expire deleted (or was deleting) this backup. */
    boolean expiredByCellar(String id) {
        return expired.contains(id);
    }
}
