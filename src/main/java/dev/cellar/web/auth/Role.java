package dev.cellar.web.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The four roles of the dashboard and the REST API. This table is the one the API role test
 * checks every route against; docs/web.md prints it.
 */
public enum Role {
    /** Users, keys, configuration, and everything a DBA may do. */
    ADMIN(EnumSet.allOf(Permission.class)),
    /** Everything on backups, restores and GDPR erasure included. */
    DBA(EnumSet.of(Permission.READ, Permission.READ_AUDIT, Permission.RUN_BACKUP, Permission.RUN_VERIFY, Permission.ACK_ALERT,
            Permission.RESTORE, Permission.MAINTAIN, Permission.APPROVE, Permission.ERASE_PERSONAL_DATA)),
    /** Runs backups and verifications, acknowledges alerts. */
    OPERATOR(EnumSet.of(Permission.READ, Permission.RUN_BACKUP, Permission.RUN_VERIFY, Permission.ACK_ALERT)),
    /** Reads everything, the audit trail included; changes nothing. */
    AUDITOR(EnumSet.of(Permission.READ, Permission.READ_AUDIT));

    private final Set<Permission> permissions;

    Role(Set<Permission> permissions) {
        this.permissions = Set.copyOf(permissions);
    }

    public boolean allows(Permission permission) {
        return permissions.contains(permission);
    }

    public Set<Permission> permissions() {
        return permissions;
    }

    /** Whether the role can change anything (and so must use a second factor when it logs in interactively). */
    public boolean changesState() {
        return permissions.stream().anyMatch(p -> p != Permission.READ && p != Permission.READ_AUDIT);
    }

    /** The lower-case name used in the configuration, the API and the catalog. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the four roles when {@code id} is none of them */
    public static Role of(String id) {
        for (Role role : values()) {
            if (role.id().equalsIgnoreCase(id == null ? "" : id.trim())) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + id + "': use admin, dba, operator or auditor");
    }
}
