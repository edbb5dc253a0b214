package dev.cellar.verify;

import dev.cellar.storage.Retention;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The WORM lock state of the verified backups: how many are locked and until when, and every
 * locked backup whose manifest the storage does not actually hold under that retention (the
 * manifest promises a lock the storage does not keep: a failure).
 *
 * @param lockedBackups backups whose manifest records a retention still running
 * @param earliestUntil the soonest of their retain-until dates (null when none is locked)
 * @param latestUntil   the latest of them (null when none is locked)
 * @param problems      mismatches between a manifest's record and the storage's retention
 */
public record WormState(int lockedBackups, Instant earliestUntil, Instant latestUntil, List<String> problems) {
    public static final WormState NONE = new WormState(0, null, null, List.of());

    public WormState {
        problems = List.copyOf(problems);
    }

    /**
     * Compares each locked backup's record with what {@code storedRetention} (the storage, by backup id) says.
     *
     * @param recorded the retention each manifest records, by backup id (null: not locked), in the order to report them
     */
    static WormState check(Map<String, Retention> recorded, Function<String, Optional<Retention>> storedRetention, Instant now) {
        int locked = 0;
        Instant earliest = null;
        Instant latest = null;
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Retention> backup : recorded.entrySet()) {
            Retention promised = backup.getValue();
            if (promised == null || !promised.activeAt(now)) {
                continue;
            }
            String id = backup.getKey();
            locked++;
            earliest = earliest == null || promised.retainUntil().isBefore(earliest) ? promised.retainUntil() : earliest;
            latest = latest == null || promised.retainUntil().isAfter(latest) ? promised.retainUntil() : latest;
            Optional<Retention> held = storedRetention.apply(id);
            String mode = promised.mode().name().toLowerCase(Locale.ROOT);
            if (held.isEmpty()) {
                problems.add("backup " + id + ": its manifest records a " + mode + " lock until " + promised.retainUntil()
                        + ", but the storage holds the manifest under no retention");
            } else if (held.get().retainUntil().isBefore(promised.retainUntil())
                    || (promised.mode() == Retention.Mode.COMPLIANCE && held.get().mode() != Retention.Mode.COMPLIANCE)) {
                problems.add("backup " + id + ": its manifest records a " + mode + " lock until " + promised.retainUntil()
                        + ", but the storage holds it " + held.get().mode().name().toLowerCase(Locale.ROOT) + " until "
                        + held.get().retainUntil());
            }
        }
        return new WormState(locked, earliest, latest, problems);
    }
}
