package dev.cellar.sync;

import dev.cellar.error.CellarException;
import dev.cellar.repo.RepositoryLayout;
import dev.cellar.storage.NoSuchObjectException;
import dev.cellar.storage.Retention;
import dev.cellar.storage.Storage;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Copies the objects of monthly and retention archives and of the GDPR erasure ledger that a copy
 * lacks, byte for byte. A copy that was unreachable when an archive was written would otherwise
 * never hold it, and a restore from that copy would miss the erasures it must re-apply. An object
 * locked WORM in the source is written locked until the same date where the copy can keep locks;
 * their contents are checked by {@code cellar archive verify} and on every read of the ledger,
 * not here (each has its own seal and format).
 */
final class LifecycleObjectCopy {
    static final List<String> PREFIXES = List.of(RepositoryLayout.ARCHIVES, RepositoryLayout.ERASURES);

    private final Storage from;
    private final Storage to;

    LifecycleObjectCopy(Storage from, Storage to) {
        this.from = from;
        this.to = to;
    }

    SyncResult.Count copyMissing(boolean dryRun, List<String> failures) {
        SyncResult.Count count = SyncResult.Count.NONE;
        for (String prefix : PREFIXES) {
            Set<String> present = new HashSet<>(to.list(prefix));
            for (String key : from.list(prefix)) {
                if (present.contains(key)) {
                    continue;
                }
                try {
                    count = count.plus(dryRun ? from.size(key) : copy(key));
                } catch (NoSuchObjectException gone) {
                    // removed in the source since the listing (an incomplete archive replaced): nothing to copy
                } catch (CellarException e) {
                    failures.add(key + " not copied: " + e.getMessage());
                }
            }
        }
        return count;
    }

    private long copy(String key) {
        byte[] bytes = from.get(key);
        Optional<Retention> lock = from.retention(key).filter(r -> r.activeAt(to.lockTime(Clock.systemUTC())));
        boolean written = lock.isPresent() && to.supportsRetention()
                ? to.putIfAbsentRetained(key, bytes, lock.get())
                : to.putIfAbsent(key, bytes);
        return written ? bytes.length : 0;
    }
}
