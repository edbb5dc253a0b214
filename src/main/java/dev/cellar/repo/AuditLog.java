package dev.cellar.repo;

import dev.cellar.pipeline.KeyedHasher;
import dev.cellar.storage.Storage;
import dev.cellar.storage.WriteRefusedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Append-only, hash-chained audit trail under {@code audit/<sequence>.json} (plaintext, so an
 * auditor can read it; authenticated, so no one without the key can change it unnoticed).
 * Each record's MAC covers its content and the previous record's MAC; a changed, removed or
 * re-ordered record breaks the chain. Appends use create-if-absent, so concurrent writers never
 * overwrite each other: the loser takes the next sequence number.
 */
public final class AuditLog {
    static final String PREFIX = RepositoryLayout.AUDIT;
    private static final String GENESIS = "genesis";

    private final Storage storage;
    private final KeyedHasher macs;
    private final Clock clock;
    private final Actor actor;
    private final RepositoryNotices notices;

    AuditLog(Storage storage, KeyedHasher macs, Clock clock, Actor actor) {
        this(storage, macs, clock, actor, new RepositoryNotices());
    }

    AuditLog(Storage storage, KeyedHasher macs, Clock clock, Actor actor, RepositoryNotices notices) {
        this.storage = storage;
        this.macs = macs;
        this.clock = clock;
        this.actor = actor;
        this.notices = notices;
    }

    /** Appends a record and returns it with its sequence number. */
    public AuditRecord append(String operation, String target, String result, String detail, long bytes, Duration duration) {
        for (int attempt = 0; ; attempt++) {
            List<String> keys = storage.list(PREFIX);
            long sequence = keys.isEmpty() ? 1 : sequenceOf(keys.get(keys.size() - 1)) + 1;
            String previousMac = keys.isEmpty() ? GENESIS : readQuietly(keys.get(keys.size() - 1));
            AuditRecord unsigned = new AuditRecord(sequence, clock.instant(), actor.user(), actor.host(), operation, target,
                    result, detail == null ? "" : detail, bytes, duration == null ? 0 : duration.toMillis(), previousMac, null);
            AuditRecord signed = unsigned.withMacs(previousMac, macOf(unsigned));
            if (storage.putIfAbsent(keyOf(sequence), RepositoryJson.write(signed))) {
                return signed;
            }
            if (attempt > 50) {
                throw new IllegalStateException("could not append to the audit log after 50 attempts");
            }
        }
    }

    /**
     * Records a failed operation without letting a second failure (the full disk that failed the
     * operation, say) replace the first: an audit write that fails is attached to {@code cause}.
     */
    public void appendFailure(String operation, String target, String detail, Duration duration, RuntimeException cause) {
        try {
            append(operation, target, AuditRecord.FAILED, detail, 0, duration);
        } catch (RuntimeException auditFailure) {
            cause.addSuppressed(auditFailure);
        }
    }

    /**
     * Appends the record of a command that only reads (verify, restore, restore test). Such a
     * command must not fail because the trail cannot be written: on a repository that refuses
     * writes the record goes to the notices instead (printed, and in the JSON result), so the
     * operator's own log keeps it. The trail of a read-only copy cannot show who read it; see
     * docs/operations.md.
     */
    public void appendForReading(String operation, String target, String result, String detail, long bytes, Duration duration) {
        if (notices.readOnly()) {
            notices.auditNotRecorded(storage.describe(), notRecorded(operation, target, result, detail), null);
            return;
        }
        try {
            append(operation, target, result, detail, bytes, duration);
        } catch (WriteRefusedException refused) {
            notices.auditNotRecorded(storage.describe(), notRecorded(operation, target, result, detail), refused);
        }
    }

    /** {@link #appendFailure} for a command that only reads: see {@link #appendForReading}. */
    public void appendFailureForReading(String operation, String target, String detail, Duration duration, RuntimeException cause) {
        try {
            appendForReading(operation, target, AuditRecord.FAILED, detail, 0, duration);
        } catch (RuntimeException auditFailure) {
            cause.addSuppressed(auditFailure);
        }
    }

    private RepositoryNotices.NotRecorded notRecorded(String operation, String target, String result, String detail) {
        return new RepositoryNotices.NotRecorded(clock.instant(), actor.user(), actor.host(), operation, target, result,
                detail == null ? "" : detail);
    }

    /** The records with the result of checking the chain. */
    public AuditReport read(long highestSequenceReferenced) {
        List<AuditRecord> records = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String previousMac = GENESIS;
        long expected = 1;
        for (String key : storage.list(PREFIX)) {
            AuditRecord record;
            try {
                record = RepositoryJson.read(storage.get(key), AuditRecord.class);
            } catch (IOException e) {
                problems.add(key + " is not a readable audit record (modified)");
                expected = sequenceOf(key) + 1;
                previousMac = null;
                continue;
            }
            long sequence = sequenceOf(key);
            if (record.sequence() != sequence) {
                problems.add(key + " holds sequence " + record.sequence() + " (moved or modified)");
            }
            if (sequence != expected) {
                problems.add("audit records " + expected + (sequence - 1 > expected ? ".." + (sequence - 1) : "") + " are missing (removed)");
            }
            if (!equal(macOf(record), record.mac())) {
                problems.add("audit record " + sequence + " was modified (MAC mismatch)");
            } else if (previousMac != null && sequence == expected && !equal(previousMac, record.previousMac())) {
                problems.add("audit record " + sequence + " does not chain to record " + (sequence - 1));
            }
            records.add(record);
            previousMac = record.mac();
            expected = sequence + 1;
        }
        if (highestSequenceReferenced >= expected) {
            problems.add("audit records " + expected + ".." + highestSequenceReferenced
                    + " are missing (a backup manifest refers to record " + highestSequenceReferenced + ")");
        }
        return new AuditReport(records, problems);
    }

    /** The audit trail and what is wrong with it (empty when intact). */
    public record AuditReport(List<AuditRecord> records, List<String> problems) {
        public boolean intact() {
            return problems.isEmpty();
        }
    }

    private String readQuietly(String key) {
        try {
            return RepositoryJson.read(storage.get(key), AuditRecord.class).mac();
        } catch (IOException e) {
            return "unreadable:" + key;
        }
    }

    private String macOf(AuditRecord record) {
        String canonical = String.join("\u001f", Long.toString(record.sequence()), record.time().toString(), record.user(),
                record.host(), record.operation(), record.target(), record.result(), record.detail(),
                Long.toString(record.bytes()), Long.toString(record.durationMillis()), record.previousMac());
        return macs.idOf(canonical.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean equal(String a, String b) {
        return b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static long sequenceOf(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return Long.parseLong(name.substring(0, name.indexOf('.')));
    }

    private static String keyOf(long sequence) {
        return PREFIX + String.format("%012d", sequence) + ".json";
    }
}
