package dev.cellar.repo;

/**
 * Whose backups {@code latest} chooses among. A repository often holds backups of several
 * databases, and "the latest backup" of the wrong one restored or tested is worse than an error:
 * so a database named by {@code -d} / {@code database.name} is held to, and with none named the
 * repository must hold backups of one source only (one database, or one cluster for physical
 * backups), or the choice is refused with the list of sources.
 *
 * @param database         the database named by the operator, or null
 * @param fallbackDatabase with none named, the database to take when the repository holds
 *                         several (a restore's target database), or null
 */
public record BackupSubject(String database, String fallbackDatabase) {

    /** The logical backups of this database, and nothing else. */
    public static BackupSubject database(String name) {
        return new BackupSubject(name, null);
    }

    /** Nothing named: whatever the repository holds, if that is backups of one source. */
    public static BackupSubject unnamed() {
        return new BackupSubject(null, null);
    }

    /** Nothing named, but a restore into {@code target}: backups of a database of that name if there are any. */
    public static BackupSubject unnamedRestoringInto(String target) {
        return new BackupSubject(null, target);
    }

    boolean named() {
        return database != null;
    }
}
