package dev.cellar.globals;

import dev.cellar.repo.DatabaseGlobals;
import dev.cellar.repo.DatabaseGlobals.AclEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statements that give a restored database what pg_restore leaves out unless it creates the
 * database itself: owner, connection limit, {@code ALTER DATABASE … SET}, {@code ALTER ROLE … IN
 * DATABASE … SET}, ACL and comment. Without ownership ({@code --no-owner}) the owner, the ACL and
 * the settings of roles in the database are skipped and listed (setting them needs the rights of
 * their owner or CREATEROLE); a setting for a role the target lacks is skipped and listed.
 *
 * @param statements to run in one transaction, in order
 * @param skipped    statements that were not run, as they would have read
 * @param notes      why some were skipped
 */
public record DatabasePropertiesPlan(List<String> statements, List<String> skipped, List<String> notes) {

    /**
     * @param database the database's name on the target (quoted here)
     * @param roles    the roles the target has (after any were created)
     */
    public static DatabasePropertiesPlan of(DatabaseGlobals globals, String database, Set<String> roles, boolean noOwner) {
        String db = Sql.identifier(database);
        List<String> statements = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String owner = "ALTER DATABASE " + db + " OWNER TO " + Sql.identifier(globals.owner()) + ";";
        boolean ownerSet = !noOwner && roles.contains(globals.owner());
        (ownerSet ? statements : skipped).add(owner);
        if (!noOwner && !ownerSet) {
            notes.add("the database's owner " + globals.owner() + " does not exist here; the restoring role owns it");
        }
        if (globals.connectionLimit() != -1) {
            statements.add("ALTER DATABASE " + db + " CONNECTION LIMIT " + globals.connectionLimit() + ";");
        }
        for (String setting : globals.settings()) {
            statements.add("ALTER DATABASE " + db + " SET " + ConfigSetting.parse(setting).setClause() + ";");
        }
        for (DatabaseGlobals.RoleSettings role : globals.roleSettings()) {
            // another role's settings are as much its own as ownership is: --no-owner leaves them out too
            boolean apply = !noOwner && roles.contains(role.role());
            for (String setting : role.settings()) {
                String sql = "ALTER ROLE " + Sql.identifier(role.role()) + " IN DATABASE " + db + " SET "
                        + ConfigSetting.parse(setting).setClause() + ";";
                (apply ? statements : skipped).add(sql);
            }
            if (!noOwner && !roles.contains(role.role())) {
                notes.add("role " + role.role() + " does not exist here: its settings in this database were skipped");
            }
        }
        if (globals.acl() != null) {
            List<String> acl = aclStatements(globals, db, ownerSet ? globals.owner() : null, roles, skipped, notes);
            (noOwner ? skipped : statements).addAll(acl);
        }
        if (globals.comment() != null) {
            statements.add("COMMENT ON DATABASE " + db + " IS " + Sql.literal(globals.comment()) + ";");
        }
        return new DatabasePropertiesPlan(List.copyOf(statements), List.copyOf(skipped), List.copyOf(notes));
    }

    /**
     * The ACL from nothing: PostgreSQL's default privileges revoked, then each grant of the
     * backup, grouped per grantee, grantor and grant option. A grant made by someone other than
     * the owner is made as that role, so it records the same grantor.
     */
    private static List<String> aclStatements(DatabaseGlobals globals, String db, String owner, Set<String> roles, List<String> skipped,
                                              List<String> notes) {
        List<String> acl = new ArrayList<>();
        acl.add("REVOKE ALL ON DATABASE " + db + " FROM PUBLIC;");
        if (owner != null) {
            acl.add("REVOKE ALL ON DATABASE " + db + " FROM " + Sql.identifier(owner) + ";");
        }
        Map<List<Object>, List<String>> grouped = new LinkedHashMap<>();
        for (AclEntry entry : globals.acl()) {
            grouped.computeIfAbsent(java.util.Arrays.asList(entry.grantee(), entry.grantor(), entry.grantable()), k -> new ArrayList<>())
                    .add(entry.privilege());
        }
        for (Map.Entry<List<Object>, List<String>> group : grouped.entrySet()) {
            String grantee = (String) group.getKey().get(0);
            String grantor = (String) group.getKey().get(1);
            boolean grantable = (Boolean) group.getKey().get(2);
            String grant = "GRANT " + String.join(", ", group.getValue()) + " ON DATABASE " + db + " TO "
                    + (grantee == null ? "PUBLIC" : Sql.identifier(grantee)) + (grantable ? " WITH GRANT OPTION" : "") + ";";
            if ((grantee != null && !roles.contains(grantee)) || !roles.contains(grantor)) {
                skipped.add(grant);
                notes.add("database privilege " + String.join(", ", group.getValue()) + " for "
                        + (grantee == null ? "PUBLIC" : grantee) + " (granted by " + grantor + ") skipped: the role does not exist here");
            } else if (grantor.equals(globals.owner())) {
                acl.add(grant);
            } else {
                acl.add("SET ROLE " + Sql.identifier(grantor) + ";");
                acl.add(grant);
                acl.add("RESET ROLE;");
            }
        }
        return acl;
    }
}
