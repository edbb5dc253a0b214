package dev.cellar.repo;

import java.util.List;

/**
 * What one database needs from its cluster, as the backup's snapshot saw it. pg_dump stores none
 * of the roles its objects name, and pg_restore (without {@code --create}) brings back none of the
 * database's own settings, ACL or comment: a restore onto a new server needs these facts.
 *
 * @param owner                 the database's owner
 * @param connectionLimit       {@code CONNECTION LIMIT}, -1 for none
 * @param settings              {@code ALTER DATABASE … SET} entries as PostgreSQL stores them ("name=value")
 * @param roleSettings          {@code ALTER ROLE … IN DATABASE … SET} entries, per role
 * @param acl                   the database's privileges; null when they are PostgreSQL's default
 * @param comment               {@code COMMENT ON DATABASE}, or null
 * @param roles                 every role the database names (owners, grantees in table, column and
 *                              default ACLs, policy roles, role settings, the database's own owner
 *                              and ACL), with the roles they belong to and the roles that belong to
 *                              them; sorted
 * @param rolesWithoutOwnership the roles a restore needs even without ownership and grants
 *                              ({@code --no-owner}): those named by row-level security policies and
 *                              user mappings; sorted
 * @param tablespaces           the tablespaces the database's relations are in, other than its default
 */
public record DatabaseGlobals(
        String owner,
        int connectionLimit,
        List<String> settings,
        List<RoleSettings> roleSettings,
        List<AclEntry> acl,
        String comment,
        List<String> roles,
        List<String> rolesWithoutOwnership,
        List<String> tablespaces) {

    public DatabaseGlobals {
        settings = settings == null ? List.of() : settings;
        roleSettings = roleSettings == null ? List.of() : roleSettings;
        roles = roles == null ? List.of() : roles;
        rolesWithoutOwnership = rolesWithoutOwnership == null ? List.of() : rolesWithoutOwnership;
        tablespaces = tablespaces == null ? List.of() : tablespaces;
    }

    /** The settings one role has in this database ({@code ALTER ROLE role IN DATABASE … SET}), "name=value". */
    public record RoleSettings(String role, List<String> settings) {
    }

    /**
     * One privilege of the database's ACL.
     *
     * @param grantee   the role it is granted to, or null for PUBLIC
     * @param privilege CONNECT, CREATE or TEMPORARY
     */
    public record AclEntry(String grantee, String grantor, String privilege, boolean grantable) {
    }
}
