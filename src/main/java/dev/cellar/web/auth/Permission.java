package dev.cellar.web.auth;

/**
 * What a request may do. Each API route and dashboard action needs one; {@link Role} says which
 * roles hold it. Kept coarse on purpose: an auditor can tell from this list alone who can restore.
 */
public enum Permission {
    /** Status, backups, schedules, alerts, catalog: everything but the audit trail. */
    READ,
    /** The audit trail and reports. */
    READ_AUDIT,
    /** Start a backup now. */
    RUN_BACKUP,
    /** Start a verification or a restore test now. */
    RUN_VERIFY,
    /** Acknowledge an alert. */
    ACK_ALERT,
    /** Restore a backup (into a new database, or over an existing one: the latter is also destructive). */
    RESTORE,
    /** expire, gc, unlock, repository sync: change what the repository holds. */
    MAINTAIN,
    /** Approve another person's destructive request on a four-eyes database. */
    APPROVE,
    /** Record GDPR erasure requests, and erase a person's data at once (that one with a fresh second factor). */
    ERASE_PERSONAL_DATA,
    /** Users, their roles, API tokens. */
    MANAGE_USERS,
    /** Repository keys, WORM and retention settings, configuration. */
    CONFIGURE
}
