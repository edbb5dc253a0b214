package dev.cellar.server.schedule;

import dev.cellar.config.CellarConfig;
import dev.cellar.config.ConfigKey;
import dev.cellar.config.DataLifecycleSchedules;
import dev.cellar.config.DatabaseConfig;
import dev.cellar.config.DatabaseTls;
import dev.cellar.config.ScheduledDatabase;
import dev.cellar.config.SecretSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The kinds of the seed's schedule: the daily full logical backup (then expire), the hourly
 * physical incremental where physical backups are configured, the weekly verification with a
 * restore test, with several copies of the repository the check that each is up to date, and,
 * where configured, the monthly archive and the data policy's retention.
 */
public final class StandardJobKinds {
    public static final JobKind BACKUP_FULL = perDatabase("backup-full", "full", ScheduledDatabase::full, db -> true,
            (db, config) -> List.of(withConnection(db, config, "backup", "logical"), JobCommand.of("expire")));
    public static final JobKind BACKUP_INCREMENTAL = perDatabase("backup-incremental", "incremental",
            ScheduledDatabase::incremental, ScheduledDatabase::physical,
            (db, config) -> List.of(withConnection(db, config, "backup", "physical", "--type", "incr", "--data-dir", db.dataDir().toString())));
    public static final JobKind VERIFY = perDatabase("verify", "verify", ScheduledDatabase::verify, db -> true,
            (db, config) -> List.of(JobCommand.of("verify", "--all"), config.recover().staging() == null
                    ? withConnection(db, config, "verify", "--restore-test", "latest")
                    // the weekly test restore of the seed goes to the staging server when one is configured
                    : withConnection(db, config, "verify", "--restore-test", "latest", "--on-staging")));
    public static final JobKind SYNC = new JobKind() {
        @Override
        public String name() {
            return "sync";
        }

        @Override
        public List<ScheduledJob> plan(CellarConfig config) {
            // with one copy there is nothing for a copy to fall behind
            if (config.repositories().size() < 2) {
                return List.of();
            }
            return List.of(new ScheduledJob("sync", name(), null, config.schedule().sync(), config.schedule().timeout()));
        }

        @Override
        public List<JobCommand> commands(ScheduledJob job, CellarConfig config) {
            return List.of(JobCommand.of("repo", "sync"));
        }
    };

    /** When the daily GDPR job runs: after the nightly backup, before the working day. */
    public static final String GDPR_SCHEDULE = "daily 05:30";
    /**
     * Applies the erasure requests that fell due (docs/gdpr.md), daily, for each database with a
     * data policy configured ({@code database.policy}): a database without one has no erasures.
     */
    public static final JobKind GDPR = perDatabase("gdpr", "gdpr",
            (config, db) -> config.dataPolicy().fileOf(db.connection().name()).map(file -> ScheduleParser.parse(GDPR_SCHEDULE, db.timeZone())),
            (db, config) -> List.of(withConnection(db, config, "gdpr", "apply-due")));

    /**
     * The monthly archive of the month that ended ({@code archive create --month}), on each database
     * whose archive schedule is not off (the default). Left out of the plan when off, so a
     * configuration without it lists the jobs it always did.
     */
    public static final JobKind ARCHIVE = lifecycle("archive", DataLifecycleSchedules::archiveOf, "archive", "create", "--month", "previous");
    /** {@code retention apply} (archive, verify, then delete what is due) on each database whose retention schedule is not off. */
    public static final JobKind RETENTION = lifecycle("retention", DataLifecycleSchedules::retentionOf, "retention", "apply");

    private static JobKind lifecycle(String name, BiFunction<DataLifecycleSchedules, String, Optional<Schedule>> scheduleOf,
            String... command) {
        return perDatabase(name, name,
                (config, db) -> scheduleOf.apply(config.lifecycleSchedules(), db.name()).filter(schedule -> !(schedule instanceof Off)),
                (db, config) -> List.of(withConnection(db, config, command)));
    }

    /**
     * The seed's monthly DR test: {@code cellar drill} on each database whose drill schedule is not
     * off (monthly by default, schedule.drill; docs/drills.md).
     */
    public static final JobKind DRILL = perDatabase("drill", "drill",
            (config, db) -> config.drill().scheduleOf(db.name()).filter(schedule -> !(schedule instanceof Off)),
            (db, config) -> List.of(withConnection(db, config, "drill")));

    /**
     * The quarterly audit report of the quarter that ended (docs/reports.md), once for the whole
     * repository; its exit code 24 when a check fails makes the run fail and the job-failed alert fire.
     */
    public static final JobKind QUARTERLY_REPORT = repositoryWide("quarterly-report", config -> config.schedule().quarterlyReport(),
            "report", "quarterly", "--quarter", "previous");
    /** The annual compliance report of the year that ended, once for the whole repository. */
    public static final JobKind ANNUAL_REPORT = repositoryWide("annual-report", config -> config.schedule().annualReport(),
            "report", "annual", "--year", "previous");

    /** The seed's kinds, in the order the plan lists them. */
    public static final List<JobKind> ALL = List.of(BACKUP_FULL, BACKUP_INCREMENTAL, VERIFY, SYNC, ARCHIVE, RETENTION, GDPR, DRILL,
            QUARTERLY_REPORT, ANNUAL_REPORT);

    private StandardJobKinds() {
    }

    /** A job run once for the whole repository on its own schedule; left out of the plan when that schedule is off. */
    private static JobKind repositoryWide(String name, Function<CellarConfig, Schedule> scheduleOf, String... command) {
        return new JobKind() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<ScheduledJob> plan(CellarConfig config) {
                Schedule schedule = scheduleOf.apply(config);
                if (schedule instanceof Off) {
                    return List.of();
                }
                return List.of(new ScheduledJob(name, name, null, schedule, config.schedule().timeout()));
            }

            @Override
            public List<JobCommand> commands(ScheduledJob job, CellarConfig config) {
                return List.of(JobCommand.of(command));
            }
        };
    }

    private static JobKind perDatabase(String name, String keyPrefix, Function<ScheduledDatabase, Schedule> schedule,
            java.util.function.Predicate<ScheduledDatabase> applies,
            BiFunction<ScheduledDatabase, CellarConfig, List<JobCommand>> commands) {
        return perDatabase(name, keyPrefix, (config, db) -> applies.test(db) ? Optional.of(schedule.apply(db)) : Optional.empty(), commands);
    }

    /** A job on each database {@code schedule} gives a schedule for (from the database and the whole configuration). */
    private static JobKind perDatabase(String name, String keyPrefix,
            BiFunction<CellarConfig, ScheduledDatabase, Optional<Schedule>> schedule,
            BiFunction<ScheduledDatabase, CellarConfig, List<JobCommand>> commands) {
        return new JobKind() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<ScheduledJob> plan(CellarConfig config) {
                List<ScheduledJob> jobs = new ArrayList<>();
                for (ScheduledDatabase db : config.scheduledDatabases()) {
                    schedule.apply(config, db).ifPresent(s -> jobs.add(new ScheduledJob(keyPrefix + ":" + db.name(), name, db, s, db.timeout())));
                }
                return jobs;
            }

            @Override
            public List<JobCommand> commands(ScheduledJob job, CellarConfig config) {
                return commands.apply(job.database(), config);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /**
     * A command on one database: where its coordinates differ from the database.* settings the
     * command reads anyway, they go as flags, and its password's source as a variable.
     */
    private static JobCommand withConnection(ScheduledDatabase db, CellarConfig config, String... command) {
        DatabaseConfig connection = db.connection();
        DatabaseConfig read = config.database();
        List<String> arguments = new ArrayList<>(List.of(command));
        if (!connection.host().equals(read.host())) {
            arguments.addAll(List.of("-h", connection.host()));
        }
        if (connection.port() != read.port()) {
            arguments.addAll(List.of("-p", Integer.toString(connection.port())));
        }
        if (!connection.user().equals(read.user())) {
            arguments.addAll(List.of("-U", connection.user()));
        }
        arguments.addAll(List.of("-d", connection.name()));
        Map<String, String> environment = new LinkedHashMap<>();
        if (!Objects.equals(connection.password(), read.password())) {
            if (connection.password() instanceof SecretSource.FromFile file) {
                environment.put("CELLAR_DATABASE_PASSWORD_FILE", file.file().toString());
            } else if (connection.password() instanceof SecretSource.FromEnv variable) {
                environment.put("CELLAR_DATABASE_PASSWORD_ENV", variable.variable());
            }
        }
        if (!connection.tls().equals(read.tls())) {
            environment.putAll(tlsEnvironment(connection.tls()));
        }
        return new JobCommand(environment, arguments);
    }

    /** A databases: entry's own TLS settings, as the CELLAR_DATABASE_* overrides the job's command reads. */
    static Map<String, String> tlsEnvironment(DatabaseTls tls) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put(ConfigKey.DATABASE_SSLMODE.env(), tls.mode().libpq());
        environment.put(ConfigKey.DATABASE_TLS_MIN_VERSION.env(), tls.minVersion().setting());
        if (tls.rootCert() != null) {
            environment.put(ConfigKey.DATABASE_SSLROOTCERT.env(), tls.rootCert().toString());
        }
        if (tls.cert() != null) {
            environment.put(ConfigKey.DATABASE_SSLCERT.env(), tls.cert().toString());
        }
        if (tls.key() != null) {
            environment.put(ConfigKey.DATABASE_SSLKEY.env(), tls.key().toString());
        }
        return environment;
    }
}
