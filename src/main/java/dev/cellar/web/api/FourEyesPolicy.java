package dev.cellar.web.api;

import dev.cellar.config.CellarConfig;
import dev.cellar.config.ScheduledDatabase;
import java.util.Set;

/**
 * Which requested operations wait for a second person's approval before they run: a restore over
 * an existing four-eyes database, and an expire, gc or unlock of the repository when any
 * configured database is four-eyes (they delete or release what protects its backups). Dry runs
 * change nothing and never wait.
 */
public final class FourEyesPolicy {
    private final CellarConfig config;

    public FourEyesPolicy(CellarConfig config) {
        this.config = config;
    }

    public boolean needsApproval(OperationRequest request) {
        Set<String> fourEyes = config.webApi().fourEyesDatabases();
        return switch (request.kind()) {
            case RESTORE -> request.flag("overExisting") && (fourEyes.contains(request.database())
                    || overFourEyesDatabase(request.text("targetDatabase"), fourEyes));
            case EXPIRE, GC -> !request.flag("dryRun") && config.webApi().anyFourEyes();
            case UNLOCK -> config.webApi().anyFourEyes();
            // sync only adds to a copy what another copy holds
            case BACKUP_LOGICAL, BACKUP_PHYSICAL, VERIFY, CATALOG_REBUILD, SYNC -> false;
        };
    }

    /** Whether the target is a four-eyes database, by its entry's short name or its PostgreSQL name. */
    private boolean overFourEyesDatabase(String target, Set<String> fourEyes) {
        return config.scheduledDatabases().stream().filter(db -> fourEyes.contains(db.name()))
                .map(ScheduledDatabase::connection).anyMatch(c -> c.name().equals(target))
                || fourEyes.contains(target);
    }
}
