package dev.cellar.lifecycle.erasure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ledger as read: its entries in order and what is wrong with it. Derives each request's
 * state (an applied entry after it, or none yet) without touching storage.
 *
 * @param problems a broken chain, an entry that cannot be decrypted: empty when the ledger is whole
 */
public record LedgerContents(List<LedgerEntry> entries, List<String> problems) {
    public LedgerContents {
        entries = List.copyOf(entries);
        problems = List.copyOf(problems);
    }

    public boolean intact() {
        return problems.isEmpty();
    }

    /** A request and, once it was applied, the entry saying so. */
    public record Request(LedgerEntry request, LedgerEntry applied) {
        public boolean isApplied() {
            return applied != null;
        }

        public String state() {
            return isApplied() ? LedgerEntry.APPLIED : LedgerEntry.REQUESTED;
        }
    }

    /** Every request, in the order they were made. */
    public List<Request> requests() {
        Map<Long, LedgerEntry> requested = new LinkedHashMap<>();
        Map<Long, LedgerEntry> applied = new LinkedHashMap<>();
        for (LedgerEntry e : entries) {
            if (e.makesRequest()) {
                requested.put(e.sequence(), e);
            } else {
                applied.putIfAbsent(e.request(), e);
            }
        }
        List<Request> requests = new ArrayList<>();
        requested.forEach((seq, r) -> requests.add(new Request(r, applied.get(seq))));
        return requests;
    }

    /** Applied requests of {@code database}: what a restore of it must re-apply, oldest first. */
    public List<Request> appliedTo(String database) {
        return requests().stream().filter(r -> r.isApplied() && r.request().database().equals(database)).toList();
    }

    /** The newest request for this subject of this database, if any. */
    public Optional<Request> latestFor(String database, String subjectHash) {
        List<Request> matching = requests().stream()
                .filter(r -> r.request().database().equals(database) && r.request().subjectHash().equals(subjectHash)).toList();
        return matching.isEmpty() ? Optional.empty() : Optional.of(matching.get(matching.size() - 1));
    }

    /** Requests not applied yet whose due date is at or before {@code now}. */
    public List<Request> due(java.time.Instant now) {
        return requests().stream().filter(r -> !r.isApplied() && !r.request().dueAt().isAfter(now)).toList();
    }
}
