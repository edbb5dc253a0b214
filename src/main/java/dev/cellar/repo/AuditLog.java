package dev.cellar.repo;

import dev.cellar.storage.Reachability;
import dev.cellar.error.CellarException;
import dev.cellar.pipeline.KeyedHasher;
import dev.cellar.storage.Storage;
import dev.cellar.storage.WriteRefusedException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Append-only, hash-chained audit trail under {@code audit/<sequence>.json} (plaintext, so an
 * auditor can read it; authenticated, so no one without the key can change it unnoticed).
 * Each record's MAC covers its content and the MACs of the records it follows; a changed,
 * removed or re-ordered record breaks the chain. Appends use create-if-absent, so concurrent
 * writers never overwrite each other: the loser takes the next sequence number.
 *
 * <p>The trail is one per repository, whatever happens to its copies. A record is written to
 * every copy; records written while copies could not see each other (one unreachable, or a
 * command run with {@code --repo-name}) may take the same number in two copies. {@link #join}
 * (run by {@code cellar repo sync}) gives every copy every record, placing a record whose
 * number is taken beside the other one, and appends one {@value AuditRecord#JOIN} record that
 * chains to each branch. docs/repository-format.md explains why this stays tamper-evident.
 */
public final class AuditLog {
    static final String PREFIX = AuditKeys.PREFIX;
    static final String GENESIS = "genesis";
    private static final int MAX_ATTEMPTS = 50;

    private final Storage storage;
    private final Storage appendTo;
    private final KeyedHasher macs;
    private final Clock clock;
    private final Actor actor;
    private final RepositoryNotices notices;
    private final AuditChainCheck chain;

    AuditLog(Storage storage, KeyedHasher macs, Clock clock, Actor actor) {
        this(storage, macs, clock, actor, new RepositoryNotices());
    }

    AuditLog(Storage storage, KeyedHasher macs, Clock clock, Actor actor, RepositoryNotices notices) {
        this(storage, storage, macs, clock, actor, notices);
    }

    /**
     * @param storage  where the trail is read (one copy, or all of them)
     * @param appendTo where records are appended: the repository's whole trail, also when
     *                 {@code storage} is one copy of it (an expire of one copy is an operation on
     *                 the repository, recorded once in every copy)
     */
    AuditLog(Storage storage, Storage appendTo, KeyedHasher macs, Clock clock, Actor actor, RepositoryNotices notices) {
        this.storage = storage;
        this.appendTo = appendTo;
        this.macs = macs;
        this.clock = clock;
        this.actor = actor;
        this.notices = notices;
        this.chain = new AuditChainCheck(this::macOf);
    }

    /** Where records are appended (see the constructor). */
    Storage appendTarget() {
        return appendTo;
    }

    /** The same trail read and appended in {@code other}: several copies joined as one storage, say. */
    public AuditLog on(Storage other) {
        return new AuditLog(other, other, macs, clock, actor, notices);
    }

    /**
     * The same trail, with records appended in the name of {@code someoneElse}: a user of the
     * dashboard or the REST API, whose name and address the record must show rather than the OS
     * user the server runs as.
     */
    public AuditLog actingAs(Actor someoneElse) {
        return new AuditLog(storage, appendTo, macs, clock, someoneElse, notices);
    }

    /** Appends a record and returns it with its sequence number. */
    public AuditRecord append(String operation, String target, String result, String detail, long bytes, Duration duration) {
        for (int attempt = 0; ; attempt++) {
            AuditObjects objects = AuditObjects.list(appendTo);
            TreeMap<Long, List<String>> numbered = byNumber(objects.keySet());
            long sequence = numbered.isEmpty() ? 1 : numbered.lastKey() + 1;
            List<String> parents = numbered.isEmpty() ? List.of(GENESIS) : macsUnder(objects, numbered.lastEntry().getValue());
            AuditRecord signed = sign(sequence, operation, target, result, detail, bytes, duration, parents);
            if (appendTo.putIfAbsent(AuditKeys.numbered(sequence), RepositoryJson.write(signed))) {
                return signed;
            }
            if (attempt > MAX_ATTEMPTS) {
                throw new IllegalStateException("could not append to the audit log after " + MAX_ATTEMPTS + " attempts");
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
            notices.auditNotRecorded(appendTo.describe(), notRecorded(operation, target, result, detail), null);
            return;
        }
        try {
            append(operation, target, result, detail, bytes, duration);
        } catch (WriteRefusedException refused) {
            notices.auditNotRecorded(appendTo.describe(), notRecorded(operation, target, result, detail), refused);
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

    /**
     * The records (every copy's, each once) with the result of checking the chain.
     *
     * @param highestSequenceReferenced the record the newest backup manifest refers to: the trail must reach it
     */
    public AuditReport read(long highestSequenceReferenced) {
        AuditReport report = chain.check(found(storage), highestSequenceReferenced);
        if (report.absences().isEmpty() || appendTo == storage) {
            return report;
        }
        // one copy of several: what it lacks and another copy holds is for repo sync, not a break
        AuditReport whole = chain.check(found(appendTo), 0);
        List<String> problems = new ArrayList<>(report.problems());
        List<Absence> absences = new ArrayList<>();
        List<String> lacking = new ArrayList<>();
        for (Absence absence : report.absences()) {
            if (absence.heldIn(whole)) {
                problems.remove(absence.problem());
                lacking.add(absence.problem() + "; another copy holds " + (absence.macs().isEmpty() ? "them" : "it")
                        + " ('cellar repo sync' copies " + (absence.macs().isEmpty() ? "them" : "it") + ")");
            } else {
                absences.add(absence);
            }
        }
        return new AuditReport(report.records(), List.copyOf(problems), List.copyOf(absences), report.unjoined(), List.copyOf(lacking));
    }

    private static List<AuditObjects.Version> found(Storage storage) {
        AuditObjects objects = AuditObjects.list(storage);
        List<AuditObjects.Version> found = new ArrayList<>();
        for (String key : objects.keySet()) {
            found.addAll(objects.versions(key));
        }
        return found;
    }

    /**
     * The audit trail and what is wrong with it (nothing when intact).
     *
     * @param problems  everything that breaks the chain, the absences included
     * @param absences  records the chain needs and this trail lacks: removed, or written to another copy
     *                  (then {@code cellar repo sync} brings them)
     * @param unjoined  when the trail forks: the last record of each branch, until a join record chains to them all
     * @param lacking   for one copy of several: records it lacks that another copy holds (no break: 'cellar repo sync' copies them)
     */
    public record AuditReport(List<AuditRecord> records, List<String> problems, List<Absence> absences, List<AuditRecord> unjoined,
                              List<String> lacking) {
        public boolean intact() {
            return problems.isEmpty();
        }
    }

    /**
     * Records the chain needs and a trail lacks: the numbers {@code fromSequence..toSequence}, or
     * the records with these MACs (then the range is empty).
     */
    public record Absence(String problem, long fromSequence, long toSequence, List<String> macs) {
        /** Whether {@code other} (another copy's trail) holds every record this one lacks. */
        public boolean heldIn(AuditReport other) {
            Set<String> otherMacs = new HashSet<>();
            Set<Long> otherNumbers = new HashSet<>();
            other.records().forEach(r -> {
                otherMacs.add(r.mac());
                otherNumbers.add(r.sequence());
            });
            for (long n = fromSequence; n <= toSequence; n++) {
                if (!otherNumbers.contains(n)) {
                    return false;
                }
            }
            return otherMacs.containsAll(macs);
        }
    }

    /**
     * What {@link #join} did.
     *
     * @param copied    records written into each copy that lacked them (with a dry run: that would be)
     * @param replaced  damaged records replaced by the intact one another copy holds under the same name
     * @param notCopied records left where they are, each with why (damaged; the copy stopped answering)
     * @param branches  how many branches the trail had (and a join record joins), 0 when it did not fork
     * @param joined    the join record, or null when none was written
     */
    public record JoinResult(Map<String, Integer> copied, List<String> replaced, List<String> notCopied, int branches,
                             AuditRecord joined) {
        public int recordsCopied() {
            return copied.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** How far {@link #join} goes. */
    public enum JoinMode {
        /** Say what would be copied and whether a join record would be written; write nothing. */
        DRY_RUN,
        /** Copy what each copy lacks and join the branches ({@code repo sync}). */
        COPY,
        /** Also replace a damaged record by the intact one another copy holds under its name ({@code verify --repair}). */
        REPAIR
    }

    /**
     * Makes the trail one again across the copies of this storage (each copy of a mirrored one):
     * every authentic record goes into every copy that lacks it, under its number, or beside the
     * record holding that number there ({@code <sequence>-<id>.json}; at a number where copies
     * hold different records, every copy gets each of them under its own id, so the copies end up
     * with the same names). Then, if the trail forks, a {@value AuditRecord#JOIN} record chaining
     * to the last record of every branch is appended to every copy; its detail says what it joined.
     * Damaged records are never copied ({@code cellar audit} names them).
     */
    public JoinResult join(JoinMode mode) {
        boolean dryRun = mode == JoinMode.DRY_RUN;
        AuditObjects objects = AuditObjects.list(appendTo);
        Map<String, Integer> copied = new LinkedHashMap<>();
        List<String> replaced = new ArrayList<>();
        List<String> notCopied = new ArrayList<>();
        Map<String, Map<String, String>> heldBy = new LinkedHashMap<>();
        objects.copies().forEach(c -> heldBy.put(c, new LinkedHashMap<>()));
        TreeMap<Long, Map<String, Found>> authentic = new TreeMap<>();
        for (String key : objects.keySet()) {
            Optional<AuditKeys.Name> name = AuditKeys.parse(key);
            List<AuditObjects.Version> damaged = new ArrayList<>();
            AuditObjects.Version intact = null;
            for (AuditObjects.Version version : objects.versions(key)) {
                Optional<AuditRecord> record = AuditChainCheck.parse(version.bytes());
                boolean placedRight = name.isPresent() && record.isPresent() && record.get().sequence() == name.get().sequence()
                        && (!name.get().sideBySide() || AuditKeys.idOf(record.get().mac()).equals(name.get().id()));
                if (!placedRight || !chain.authentic(record.get())) {
                    version.copies().forEach(c -> heldBy.get(c).put(key, null));
                    damaged.add(version);
                    continue;
                }
                version.copies().forEach(c -> heldBy.get(c).put(key, record.get().mac()));
                intact = intact == null ? version : intact;
                authentic.computeIfAbsent(record.get().sequence(), n -> new LinkedHashMap<>())
                        .computeIfAbsent(record.get().mac(), m -> new Found(record.get(), version.bytes(), new ArrayList<>()))
                        .copies().addAll(version.copies());
            }
            for (AuditObjects.Version version : damaged) {
                if (mode == JoinMode.REPAIR && intact != null) {
                    for (String copy : version.copies()) {
                        objects.copy(copy).put(key, intact.bytes());
                        heldBy.get(copy).put(key, AuditChainCheck.parse(intact.bytes()).orElseThrow().mac());
                        replaced.add(key + " in " + copy + " (damaged) from " + String.join(", ", intact.copies()));
                    }
                } else {
                    notCopied.add(key + " in " + String.join(", ", version.copies()) + " is damaged: not copied"
                            + (intact == null ? " (no copy holds it intact; see 'cellar audit')" : " ('cellar verify --repair' replaces it)"));
                }
            }
        }
        // every copy receives what it lacks, in ascending order, so a copy stopped half-way lacks only the newest
        Set<String> stopped = new HashSet<>();
        for (Map.Entry<Long, Map<String, Found>> number : authentic.entrySet()) {
            for (Found found : number.getValue().values()) {
                for (String copy : objects.copies()) {
                    String key = placement(number.getKey(), found, number.getValue().size() > 1, heldBy.get(copy));
                    if (key == null || stopped.contains(copy)) {
                        continue;
                    }
                    try {
                        if (dryRun || objects.copy(copy).putIfAbsent(key, found.bytes())) {
                            copied.merge(copy, 1, Integer::sum);
                        }
                        heldBy.get(copy).put(key, found.record().mac());
                    } catch (CellarException e) {
                        if (!Reachability.unreachable(e)) {
                            throw e;
                        }
                        stopped.add(copy);
                        notCopied.add("records not copied into " + copy + ": it stopped answering (" + e.getMessage()
                                + "); the next 'cellar repo sync' copies them");
                    }
                }
            }
        }
        List<Found> all = authentic.values().stream().flatMap(m -> m.values().stream()).toList();
        Set<String> referenced = new HashSet<>();
        all.forEach(f -> referenced.addAll(f.record().parents()));
        List<Found> heads = all.stream().filter(f -> !referenced.contains(f.record().mac()))
                .sorted((a, b) -> AuditChainCheck.ORDER.compare(b.record(), a.record())).toList();
        AuditRecord joined = heads.size() > 1 && !dryRun ? appendJoin(heads) : null;
        return new JoinResult(copied, replaced, notCopied, heads.size() > 1 ? heads.size() : 0, joined);
    }

    /** An authentic record, its bytes as written, and the copies that held it before the join. */
    private record Found(AuditRecord record, byte[] bytes, List<String> copies) {
    }

    /** The name a copy should hold {@code found} under, or null when it holds it already. */
    private static String placement(long sequence, Found found, boolean numberShared, Map<String, String> held) {
        String besides = AuditKeys.besides(sequence, found.record().mac());
        if (numberShared) {
            return held.containsKey(besides) ? null : besides;
        }
        String numbered = AuditKeys.numbered(sequence);
        if (!held.containsKey(numbered)) {
            return numbered;
        }
        String there = held.get(numbered);
        if (there == null) {
            return null; // a damaged record holds the name: verify --repair replaces it, nothing goes beside it
        }
        return found.record().mac().equals(there) || held.containsKey(besides) ? null : besides;
    }

    /** The record that chains to the last record of each branch, the newest first. */
    private AuditRecord appendJoin(List<Found> heads) {
        List<String> parts = new ArrayList<>();
        for (Found head : heads) {
            AuditRecord r = head.record();
            parts.add("record " + r.sequence() + " (" + r.operation() + " " + r.result() + (r.target().isEmpty() ? "" : " " + r.target())
                    + ") from " + String.join(", ", head.copies().stream().distinct().toList()));
        }
        String detail = "joined " + heads.size() + " branches of the trail written apart: " + String.join("; ", parts);
        List<String> parents = heads.stream().map(h -> h.record().mac()).toList();
        for (int attempt = 0; ; attempt++) {
            TreeMap<Long, List<String>> numbered = byNumber(AuditObjects.list(appendTo).keySet());
            long sequence = numbered.lastKey() + 1;
            AuditRecord signed = sign(sequence, AuditRecord.JOIN, "", AuditRecord.OK, detail, 0, null, parents);
            if (appendTo.putIfAbsent(AuditKeys.numbered(sequence), RepositoryJson.write(signed))) {
                return signed;
            }
            if (attempt > MAX_ATTEMPTS) {
                throw new IllegalStateException("could not append to the audit log after " + MAX_ATTEMPTS + " attempts");
            }
        }
    }

    private AuditRecord sign(long sequence, String operation, String target, String result, String detail, long bytes,
                             Duration duration, List<String> parents) {
        AuditRecord unsigned = new AuditRecord(sequence, clock.instant(), actor.user(), actor.host(), operation, target, result,
                detail == null ? "" : detail, bytes, duration == null ? 0 : duration.toMillis(), parents.get(0),
                parents.subList(1, parents.size()), null);
        return unsigned.withMacs(parents.get(0), macOf(unsigned));
    }

    /** The MACs of the records under these names (each once, the numbered name's first); an unreadable one stands as such. */
    private static List<String> macsUnder(AuditObjects objects, List<String> keys) {
        List<String> macs = new ArrayList<>();
        for (String key : keys) {
            for (AuditObjects.Version version : objects.versions(key)) {
                String mac = AuditChainCheck.parse(version.bytes()).map(AuditRecord::mac).orElse("unreadable:" + key);
                if (!macs.contains(mac)) {
                    macs.add(mac);
                }
            }
        }
        return macs.isEmpty() ? List.of("unreadable:" + keys.get(0)) : macs;
    }

    /** Record names by number, the numbered name first at each number; names that are not a record's are left out. */
    private static TreeMap<Long, List<String>> byNumber(Set<String> keys) {
        TreeMap<Long, List<String>> numbered = new TreeMap<>();
        for (String key : keys) {
            AuditKeys.parse(key).ifPresent(name -> {
                List<String> at = numbered.computeIfAbsent(name.sequence(), n -> new ArrayList<>());
                if (name.sideBySide()) {
                    at.add(key);
                } else {
                    at.add(0, key);
                }
            });
        }
        return numbered;
    }

    private String macOf(AuditRecord record) {
        String canonical = String.join("\u001f", Long.toString(record.sequence()), record.time().toString(), record.user(),
                record.host(), record.operation(), record.target(), record.result(), record.detail(),
                Long.toString(record.bytes()), Long.toString(record.durationMillis()), record.previousMac());
        if (!record.mergedMacs().isEmpty()) {
            // only join records carry these; an ordinary record's MAC is computed as it always was
            canonical += "\u001fjoins\u001f" + String.join("\u001f", record.mergedMacs());
        }
        return macs.idOf(canonical.getBytes(StandardCharsets.UTF_8));
    }
}
