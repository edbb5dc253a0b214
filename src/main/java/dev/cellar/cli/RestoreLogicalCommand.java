package dev.cellar.cli;

import dev.cellar.config.CellarConfig;
import dev.cellar.repo.BackupCatalog;
import dev.cellar.repo.BackupManifest;
import dev.cellar.restore.RestoreTarget;
import dev.cellar.restore.LogicalRestore;
import dev.cellar.restore.LogicalRestoreOptions;
import dev.cellar.restore.RestoreResult;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logical", description = {"Restore a logical backup into a database on the server named by database.host/port/user.",
                "Every chunk is fetched and authenticated before the target is touched: a damaged backup is "
                        + "refused. An existing database is never overwritten without --force; with --force the backup is "
                        + "restored into a new database first and swapped in only when pg_restore succeeded. With --table, "
                        + "only those tables come back (with their indexes, constraints, triggers and sequences) into the "
                        + "target database, which may already hold the other tables. Needs free space in backup.work-dir "
                        + "(default: the system temp folder) for the dump's size."})
final class RestoreLogicalCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    CommonOptions common;
    @Mixin
    DatabaseOptions database;

    @Parameters(index = "0", paramLabel = "ID", defaultValue = "latest", description = "Backup id, or 'latest' (default): the newest "
            + "backup of the database named by -d / database.name; with none named, of the database called like --target-db, or of "
            + "the only database the repository holds.")
    String id;

    @Option(names = {"-t", "--target-db"}, required = true, paramLabel = "NAME", description = "Database to restore into.")
    String targetDatabase;

    @Option(names = "--table", paramLabel = "SCHEMA.TABLE", description = "Restore only this table (repeatable; partitions follow their parent).")
    List<String> tables = List.of();

    @Option(names = "--force", description = "Replace an existing target database (or, with --table, existing tables).")
    boolean force;

    @Option(names = "--no-owner", description = "Do not restore ownership and grants (for a server without the original roles).")
    boolean noOwner;

    @Option(names = "--maintenance-db", paramLabel = "NAME", defaultValue = "postgres",
            description = "Database to connect to for CREATE/DROP DATABASE (default: ${DEFAULT-VALUE}).")
    String maintenanceDatabase;

    @Mixin
    JobsOption jobs;

    @Override
    public Integer call() {
        CommandContext context = CommandContext.load(common, database);
        CellarConfig config = context.config();
        CommandContext.Unlocked<RestoreTarget> unlocked = context.openRepositoryWhile(
                db -> RestoreTarget.prepare(db.withDatabase(maintenanceDatabase), config.postgres().binDir()));
        LogicalRestoreOptions options = new LogicalRestoreOptions(targetDatabase, tables, force, noOwner,
                jobs.or(config.backup()), config.backup().workDir(), config.postgres().binDir(), context.lockWait());
        // 'latest' of the database named, or with none named of the target's name or the repository's only database
        String backupId = new BackupCatalog(unlocked.repository())
                .resolve(id, BackupManifest.KIND_LOGICAL, context.backupSubjectRestoringInto(targetDatabase)).id();
        RestoreResult result;
        try (TerminalProgress progress = TerminalProgress.forTerminal()) {
            result = new LogicalRestore(unlocked.repository(), unlocked.checked(), options, progress).run(backupId);
        }
        String what = result.tables().isEmpty() ? "database " + result.targetDatabase()
                : "table(s) " + String.join(", ", result.tables()) + " into database " + result.targetDatabase();
        context.output().result(result, "restored backup " + result.backupId() + " as " + what + " in "
                + Output.seconds(result.duration()) + (result.replacedExisting() ? " (replaced the existing one)" : "")
                + (result.foreignKeysLeftOut().isEmpty() ? "" : "\nnote: these foreign keys were not created because the table they reference"
                + " is missing here: " + String.join(", ", result.foreignKeysLeftOut())));
        return context.exitCode(0);
    }
}
