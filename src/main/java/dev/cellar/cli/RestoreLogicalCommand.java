package dev.cellar.cli;

import dev.cellar.app.LogicalRestoreService;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.restore.ServerRestoreResult;
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
                        + "only those tables come back (with everything that belongs to them, and the views and foreign keys "
                        + "built on them) into the target database, which may already hold the other tables, in one "
                        + "transaction: all of it, or nothing. Needs free space in backup.work-dir "
                        + "(default: the system temp folder) for the dump's size.",
                "The roles and tablespaces the backup needs must exist on the server; if they do not, nothing is done "
                        + "(exit code 21) unless --create-roles creates the roles from the globals stored with the backup "
                        + "(a new server), or --no-owner restores without ownership and grants and lists each one skipped."})
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

    @Option(names = {"-t", "--target-db"}, paramLabel = "NAME", description = "Database to restore into (required without --all).")
    String targetDatabase;

    @Option(names = "--table", paramLabel = "SCHEMA.TABLE", description = "Restore only this table (repeatable; partitions follow their parent).")
    List<String> tables = List.of();

    @Option(names = "--force", description = "Replace an existing target database (or, with --table, existing tables).")
    boolean force;

    @Option(names = "--no-owner", description = "Do not restore ownership and grants (for a server without the original roles); "
            + "every ownership and grant skipped is listed.")
    boolean noOwner;

    @Option(names = "--create-roles", description = "Create the roles the backup needs that this server lacks (with their memberships), "
            + "from the globals stored with the backup. Existing roles are never changed.")
    boolean createRoles;

    @Option(names = "--with-role-passwords", description = "With --create-roles: give the roles created their login passwords from the backup.")
    boolean withRolePasswords;

    @Option(names = "--all", description = "Restore a whole server: every database of one 'backup logical --all' run (ID: the run, "
            + "or any backup of it; default the latest run), roles first. Each database keeps its name; existing ones are refused "
            + "without --force (an empty one, such as a new cluster's postgres, is replaced).")
    boolean all;

    @Option(names = "--maintenance-db", paramLabel = "NAME", defaultValue = "postgres",
            description = "Database to connect to for CREATE/DROP DATABASE (default: ${DEFAULT-VALUE}).")
    String maintenanceDatabase;

    @Mixin
    JobsOption jobs;

    @Override
    public Integer call() {
        if (withRolePasswords && !createRoles) {
            throw new CellarException(ErrorCode.USAGE, "--with-role-passwords applies to the roles --create-roles creates",
                    "add --create-roles");
        }
        if (all) {
            return restoreServer();
        }
        if (targetDatabase == null) {
            throw new CellarException(ErrorCode.USAGE, "restore logical needs --target-db NAME (or --all to restore every database of a run)",
                    "cellar restore logical --help");
        }
        try (CommandContext context = CommandContext.load(common, database)) {
            RestoreResult result;
            try (TerminalProgress progress = TerminalProgress.forTerminal()) {
                result = new LogicalRestoreService(context.app()).restoreDatabase(request(context), targetDatabase, tables, progress);
            }
            String what = result.tables().isEmpty() ? "database " + result.targetDatabase()
                    : "table(s) " + String.join(", ", result.tables()) + " into database " + result.targetDatabase();
            context.output().result(result, "restored backup " + result.backupId() + " as " + what + " in "
                    + Output.seconds(result.duration()) + (result.replacedExisting() ? " (replaced the existing one)" : "")
                    + (result.dependentsRecreated().isEmpty() ? "" : "\ndropped and created again from the backup, unchanged: "
                    + String.join(", ", result.dependentsRecreated()))
                    + (result.dependentsAdded().isEmpty() ? "" : "\ncreated from the backup (missing here): " + String.join(", ", result.dependentsAdded()))
                    + (result.leftOut().isEmpty() ? "" : "\nnote: not restored:\n  " + String.join("\n  ", result.leftOut()))
                    + GlobalsText.of(result.globals())
                    + (result.erasures() == null ? "" : "\n" + GdprText.reapplied(result.erasures()).stripTrailing()));
            return context.exitCode(0);
        }
    }

    private Integer restoreServer() {
        if (targetDatabase != null || !tables.isEmpty()) {
            throw new CellarException(ErrorCode.USAGE, "--all restores every database under its own name: it takes no --target-db or --table",
                    "drop --target-db/--table, or drop --all to restore one database");
        }
        try (CommandContext context = CommandContext.load(common, database)) {
            ServerRestoreResult result;
            try (TerminalProgress progress = TerminalProgress.forTerminal()) {
                result = new LogicalRestoreService(context.app()).restoreServer(request(context), progress);
            }
            context.output().result(result, ServerRestoreText.of(result));
            return result.exitCode() != 0 ? result.exitCode() : context.exitCode(0);
        }
    }

    private LogicalRestoreService.Request request(CommandContext context) {
        return new LogicalRestoreService.Request(id, force, noOwner, jobs.or(context.config().backup()), createRoles, withRolePasswords,
                maintenanceDatabase);
    }
}
