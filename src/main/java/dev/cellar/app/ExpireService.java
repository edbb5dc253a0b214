package dev.cellar.app;

import dev.cellar.config.RetentionConfig;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.expire.Expire;
import dev.cellar.expire.ExpireResult;
import dev.cellar.storage.Reachability;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes the backups and WAL each copy's retention no longer keeps (or, dry, plans it), copy by
 * copy; a copy that cannot be reached is left for the next run and never blocks the others.
 *
 * <p>For the daemon: takes each copy's repository lock (exclusive; shared when dry) and waits for it up to the context's
 * lock wait (then fails with the lock's error); refuses to run when this host's clock is off the
 * storage server's (WORM). May prompt only through the context's secret prompter.
 */
public final class ExpireService {
    private final CellarContext context;

    public ExpireService(CellarContext context) {
        this.context = context;
    }

    /** One copy's expiry (each copy has its own retention). */
    public record CopyExpired(String copy, String location, ExpireResult result) {
    }

    /** The copies expired, in configuration order, and those that could not be reached. */
    public record ExpireRun(List<CopyExpired> copies, List<String> unreachable) {
    }

    /**
     * @param fullDays overrides each copy's retention-full-days; null keeps it
     * @param walDays  overrides each copy's retention-wal-days; null keeps it
     */
    public ExpireRun expire(boolean dryRun, Integer fullDays, Integer walDays) {
        context.warmUpManifestReading();
        List<CellarContext.Copy> copies = context.openEachCopy();
        List<CopyExpired> results = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        for (CellarContext.Copy copy : copies) {
            RetentionConfig configured = copy.target().retention();
            RetentionConfig retention = new RetentionConfig(fullDays == null ? configured.fullDays() : fullDays,
                    walDays == null ? configured.walDays() : walDays);
            try {
                results.add(new CopyExpired(copy.target().name(), copy.target().location(),
                        new Expire(copy.repository(), retention).run(dryRun, context.lockWait())));
            } catch (CellarException e) {
                if (copies.size() == 1 || !Reachability.unreachable(e)) {
                    throw e;
                }
                // an unreachable copy never blocks the others; what it holds is expired by the next run
                unreachable.add(copy.target().name());
                context.warnPartial("expire of copy '" + copy.target().name() + "' stopped: " + e.getMessage(),
                        "run 'cellar expire" + (dryRun ? " --dry-run" : "") + "' again once " + copy.target().name() + " answers");
            }
        }
        if (results.isEmpty()) {
            throw new CellarException(ErrorCode.STORAGE_UNAVAILABLE, "no copy of the repository could be expired: "
                    + String.join(", ", unreachable) + " could not be reached", "run 'cellar expire' again once they answer");
        }
        return new ExpireRun(List.copyOf(results), List.copyOf(unreachable));
    }
}
