package dev.cellar.app;

import dev.cellar.config.CellarConfig;
import dev.cellar.config.DrillConfig;
import dev.cellar.drill.Drill;
import dev.cellar.drill.DrillOptions;
import dev.cellar.drill.DrillReport;
import dev.cellar.drill.Objective;
import dev.cellar.lifecycle.policy.DataCategory;
import dev.cellar.lifecycle.policy.DataPolicy;
import dev.cellar.lifecycle.policy.DataPolicyParser;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.report.ReportStore;
import dev.cellar.restore.CellarProgram;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a drill on the configured database (docs/drills.md): the objectives come from drill.* or
 * the command line and from the database's data policy categories; the physical copies go
 * through the same restore as {@code cellar restore pitr --start --archive-mode off}.
 *
 * <p>For the daemon: a scheduled job (monthly by default). Writes marker rows to the source
 * database, creates scratch databases and clusters and removes them whatever happens; takes the
 * repository lock for reading during each restore; blocks for the whole drill.
 */
public final class DrillService {
    private final CellarContext context;

    public DrillService(CellarContext context) {
        this.context = context;
    }

    /**
     * @param logical       restore the latest logical backup (false with --only physical)
     * @param physical      restore the physical backup + WAL (false with --only logical)
     * @param rtoObjective  overrides drill.rto-objective, or null
     * @param rpoObjective  overrides drill.rpo-objective, or null
     * @param cellarCommand how PostgreSQL's restore_command calls Cellar back
     */
    public record Request(boolean logical, boolean physical, Duration rtoObjective, Duration rpoObjective, CellarProgram cellarCommand) {
    }

    public DrillReport drill(Request request, ProgressListener progress) {
        CellarConfig config = context.config();
        DrillConfig drill = config.drill();
        PgConnectionSpec source = context.database();
        Repository repository = context.openRepository();
        List<Objective> objectives = objectives(config, source.database(), request);
        DrillOptions options = new DrillOptions(request.logical(), request.physical(), objectives, drill.walWait(), drill.rpoWindow(),
                drill.workDirOrTemp(), config.postgres().binDir(), config.backup().jobs(), context.lockWait(), drill.checks());
        PitrRestoreService pitr = new PitrRestoreService(context);
        Drill.PhysicalRestorer restorer = (dataDir, target, port) -> pitr.restore(new PitrRestoreService.Request(dataDir, false, null, target,
                true, port, true, Map.of(), config.backup().jobs(), Duration.ofHours(4), null, request.cellarCommand()), progress);
        return new Drill(repository, source, restorer, options, progress).run();
    }

    /** Exports a stored drill report (its files and their signatures) into {@code folder}. */
    public List<Path> export(String drillId, Path folder) {
        return ReportStore.of(context.openRepository()).export(ReportStore.DRILL, drillId, folder);
    }

    /** The default objective, then each category of the database's data policy that sets rto: or rpo:. */
    static List<Objective> objectives(CellarConfig config, String database, Request request) {
        List<Objective> objectives = new ArrayList<>();
        objectives.add(new Objective("default", request.rtoObjective() != null ? request.rtoObjective() : config.drill().rtoObjective(),
                request.rpoObjective() != null ? request.rpoObjective() : config.drill().rpoObjective()));
        DataPolicy policy = policyOf(config, database);
        if (policy != null) {
            for (DataCategory category : policy.categories()) {
                if (category.rto() != null || category.rpo() != null) {
                    objectives.add(new Objective("category " + category.name(), category.rto(), category.rpo()));
                }
            }
        }
        return objectives;
    }

    /** The configured policy; the shipped one only for the database it was written for. */
    private static DataPolicy policyOf(CellarConfig config, String database) {
        Path file = config.dataPolicy().fileOf(database).orElse(null);
        if (file != null) {
            return DataPolicyParser.parse(file);
        }
        DataPolicy shipped = DataPolicyParser.restaurantOrdering();
        return shipped.database().equals(database) ? shipped : null;
    }
}
