package dev.cellar.repo;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of the audit trail: who did what to which target, with what result. {@code mac}
 * chains it to the record before it ({@code previousMac}) under a key only key holders have. A
 * record that joins records written apart (in two copies while one could not be reached) chains
 * to each of them: {@code mergedMacs} names the others, and its MAC covers them too.
 *
 * @param sequence   one more than the highest sequence among the records it chains to
 * @param mergedMacs the records it joins besides {@code previousMac}; empty for an ordinary record
 *                   (and then absent from the JSON, which stays as older versions wrote it)
 */
public record AuditRecord(
        long sequence,
        Instant time,
        String user,
        String host,
        String operation,
        String target,
        String result,
        String detail,
        long bytes,
        long durationMillis,
        String previousMac,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> mergedMacs,
        String mac) {

    public static final String STARTED = "started";
    public static final String OK = "ok";
    public static final String FAILED = "failed";
    /** The process was stopped by a signal while the operation ran. */
    public static final String INTERRUPTED = "interrupted";
    /** A stale lock was broken: the process holding it ended without finishing its operation. */
    public static final String ABANDONED = "abandoned";
    /** The operation of a record that joins records written apart in different copies. */
    public static final String JOIN = "audit.join";

    public AuditRecord {
        mergedMacs = mergedMacs == null ? List.of() : List.copyOf(mergedMacs);
    }

    /** An ordinary record, chained to one predecessor. */
    public AuditRecord(long sequence, Instant time, String user, String host, String operation, String target, String result,
                       String detail, long bytes, long durationMillis, String previousMac, String mac) {
        this(sequence, time, user, host, operation, target, result, detail, bytes, durationMillis, previousMac, List.of(), mac);
    }

    /** The MACs of the records this one chains to: {@code previousMac} first. */
    @JsonIgnore
    public List<String> parents() {
        List<String> parents = new ArrayList<>();
        parents.add(previousMac);
        parents.addAll(mergedMacs);
        return parents;
    }

    AuditRecord withMacs(String previous, String own) {
        return new AuditRecord(sequence, time, user, host, operation, target, result, detail, bytes, durationMillis, previous, mergedMacs,
                own);
    }
}
