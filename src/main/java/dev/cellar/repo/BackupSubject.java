package dev.cellar.repo;

/**
 * Whose backups {@code latest} chooses among. A repository often holds backups of several
 * databases, and "the latest backup" of the wrong one restored or tested is worse than an error:
 * so a database named by {@code -d} / {@code database.name} is held to, and with none named the
 * repository must hold backups of one source only (one database, or one cluster for physical
 * backups), or the choice is refused with the list of sources.
 *
 * @param database           the database named by the operator, or null
 * @param fallbackDatabase   with none named, the database to take when the repository holds
 *                           backups of it (a restore's target database), or null
 * @param configuredDatabase a restore's {@code database.name} from the file or environment: taken
 *                           when the repository holds no backup of the target's name, or null
 */
public record BackupSubject(String database, String fallbackDatabase, String configuredDatabase) {

    /** The logical backups of this database, and nothing else. */
    public static BackupSubject database(String name) {
        return new BackupSubject(name, null, null);
    }

    /** Nothing named: whatever the repository holds, if that is backups of one source. */
    public static BackupSubject unnamed() {
        return new BackupSubject(null, null, null);
    }

    /** Nothing named, but a restore into {@code target}: backups of a database of that name if there are any. */
    public static BackupSubject unnamedRestoringInto(String target) {
        return new BackupSubject(null, target, null);
    }

    /**
     * A restore into {@code target} with {@code database.name} set in the file or environment but no
     * {@code -d} on the command line: backups of the target's name if the repository holds any
     * (restoring {@code shop} brings back {@code shop}, whatever the configuration connects to),
     * else those of the configured database.
     */
    public static BackupSubject restoringInto(String target, String configured) {
        return new BackupSubject(null, target, configured);
    }

    boolean named() {
        return database != null;
    }
}
