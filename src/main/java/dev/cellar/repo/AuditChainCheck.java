package dev.cellar.repo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Checks an audit trail as found in storage, a pure function of the names and contents found.
 * The trail is a chain that may fork where copies were written apart and join again: every
 * record must authenticate, sit under the name its number (and id) gives, and chain to records
 * present; every number from 1 to the highest must be there; and the trail must reach the
 * record the newest backup manifest refers to. Records found under several names or in several
 * copies count once.
 */
final class AuditChainCheck {
    /** Oldest first: by sequence, then time, then MAC so that the order is the same everywhere. */
    static final Comparator<AuditRecord> ORDER = Comparator.comparingLong(AuditRecord::sequence)
            .thenComparing(AuditRecord::time, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(AuditRecord::mac);

    private final Function<AuditRecord, String> macOf;

    AuditChainCheck(Function<AuditRecord, String> macOf) {
        this.macOf = macOf;
    }

    /** A record as found: the record, and whether its MAC is what the key gives. */
    record Parsed(AuditRecord record, boolean authentic) {
    }

    /** The record in {@code version}, or empty when it does not parse as one. */
    static Optional<AuditRecord> parse(byte[] bytes) {
        try {
            AuditRecord record = RepositoryJson.read(bytes, AuditRecord.class);
            return record.mac() == null || record.previousMac() == null || record.time() == null ? Optional.empty() : Optional.of(record);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    boolean authentic(AuditRecord record) {
        return equal(macOf.apply(record), record.mac());
    }

    AuditLog.AuditReport check(List<AuditObjects.Version> found, long highestSequenceReferenced) {
        Set<String> problems = new LinkedHashSet<>();
        List<AuditLog.Absence> absences = new ArrayList<>();
        Map<String, AuditRecord> byMac = new LinkedHashMap<>();
        Set<String> authenticMacs = new HashSet<>();
        TreeSet<Long> numbers = new TreeSet<>();
        // 1. Each object: a record, under its own name, authentic.
        for (AuditObjects.Version version : found) {
            Optional<AuditKeys.Name> name = AuditKeys.parse(version.key());
            if (name.isEmpty()) {
                problems.add(where(version) + " is not named like an audit record (Cellar did not write it)");
                continue;
            }
            long sequence = name.get().sequence();
            numbers.add(sequence);
            Optional<AuditRecord> parsed = parse(version.bytes());
            if (parsed.isEmpty()) {
                problems.add(where(version) + " is not a readable audit record (modified)");
                continue;
            }
            AuditRecord record = parsed.get();
            if (record.sequence() != sequence) {
                problems.add(where(version) + " holds sequence " + record.sequence() + " (moved or modified)");
            } else if (name.get().sideBySide() && !AuditKeys.idOf(record.mac()).equals(name.get().id())) {
                problems.add(where(version) + " holds another record than its name says (moved or modified)");
            }
            if (authentic(record)) {
                authenticMacs.add(record.mac());
                byMac.put(record.mac(), record);
            } else {
                problems.add("audit record " + sequence + (name.get().sideBySide() || !onlyCopy(version) ? " (" + where(version) + ")" : "")
                        + " was modified (MAC mismatch)");
                byMac.putIfAbsent(record.mac(), record);
            }
        }
        // 2. Every number from 1 up is there, up to the record a manifest refers to.
        long expected = 1;
        for (long number : numbers) {
            if (number > expected) {
                absences.add(new AuditLog.Absence("audit records " + expected + (number - 1 > expected ? ".." + (number - 1) : "")
                        + " are missing (removed)", expected, number - 1, List.of()));
            }
            expected = number + 1;
        }
        if (highestSequenceReferenced >= expected) {
            absences.add(new AuditLog.Absence("audit records " + expected + ".." + highestSequenceReferenced
                    + " are missing (a backup manifest refers to record " + highestSequenceReferenced + ")", expected,
                    highestSequenceReferenced, List.of()));
        }
        // 3. Each record chains to records present, the highest of them one number below its own.
        Set<String> referenced = new HashSet<>();
        for (AuditRecord record : byMac.values()) {
            long sequence = record.sequence();
            referenced.addAll(record.parents());
            if (sequence <= 1) {
                if (!AuditLog.GENESIS.equals(record.previousMac()) || !record.mergedMacs().isEmpty()) {
                    problems.add("audit record " + sequence + " does not chain to record 0");
                }
                continue;
            }
            long highestParent = 0;
            List<String> lacking = new ArrayList<>();
            for (String parent : record.parents()) {
                AuditRecord found1 = byMac.get(parent);
                if (found1 == null) {
                    lacking.add(parent);
                } else {
                    highestParent = Math.max(highestParent, found1.sequence());
                }
            }
            if (!lacking.isEmpty()) {
                if (numbers.contains(sequence - 1)) { // a number missing altogether is reported above
                    absences.add(new AuditLog.Absence("audit record " + sequence + " does not chain to record " + (sequence - 1)
                            + ": it follows " + (lacking.size() == 1 ? "a record" : lacking.size() + " records") + " not in this trail ("
                            + String.join(", ", lacking.stream().map(AuditKeys::idOf).toList()) + ")", 0, -1, List.copyOf(lacking)));
                }
            } else if (highestParent != sequence - 1) {
                problems.add("audit record " + sequence + " does not chain to record " + (sequence - 1));
            }
        }
        absences.forEach(a -> problems.add(a.problem()));
        List<AuditRecord> records = byMac.values().stream().sorted(ORDER).toList();
        List<AuditRecord> heads = records.stream().filter(r -> !referenced.contains(r.mac())).toList();
        return new AuditLog.AuditReport(records, List.copyOf(problems), List.copyOf(absences), heads.size() > 1 ? heads : List.of(),
                List.of());
    }

    private static boolean onlyCopy(AuditObjects.Version version) {
        return version.copies().equals(List.of(AuditObjects.ONLY_COPY));
    }

    private static String where(AuditObjects.Version version) {
        return onlyCopy(version) ? version.key() : version.key() + " in " + String.join(", ", version.copies());
    }

    static boolean equal(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
