package dev.cellar.globals;

import dev.cellar.repo.DatabaseGlobals;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads what the current database needs from its cluster. Run it on the backup's snapshot: the
 * shared catalogs are read with the same snapshot, so the roles found are the ones the dump names.
 */
public final class DatabaseGlobalsQuery {
    /** PostgreSQL's bootstrap superuser; objects it owns have no pg_shdepend rows, so it is always needed. */
    private static final String BOOTSTRAP_SUPERUSER = "SELECT rolname FROM pg_roles WHERE oid = 10";

    private static final String DATABASE = """
            SELECT pg_get_userbyid(d.datdba), d.datconnlimit, d.datacl IS NULL, shobj_description(d.oid, 'pg_database')
              FROM pg_database d WHERE d.datname = current_database()""";

    private static final String ACL = """
            SELECT CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END, pg_get_userbyid(a.grantor),
                   a.privilege_type, a.is_grantable
              FROM pg_database d, aclexplode(d.datacl) WITH ORDINALITY a
             WHERE d.datname = current_database()
             ORDER BY a.ordinality""";

    private static final String SETTINGS = """
            SELECT CASE WHEN s.setrole = 0 THEN NULL ELSE pg_get_userbyid(s.setrole) END, s.setconfig
              FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
             WHERE d.datname = current_database()
             ORDER BY 1 NULLS FIRST""";

    /**
     * Roles the database's objects depend on: owners ('o'), grantees in ACLs and default ACLs
     * ('a'), policy roles ('r'). Policies and user mappings keep needing their role when a
     * restore skips ownership and grants.
     */
    private static final String DEPENDENCIES = """
            SELECT DISTINCT r.rolname, sd.deptype = 'r' OR sd.classid = 'pg_catalog.pg_user_mapping'::regclass
              FROM pg_shdepend sd JOIN pg_roles r ON r.oid = sd.refobjid
             WHERE sd.refclassid = 'pg_catalog.pg_authid'::regclass
               AND sd.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())""";

    private static final String MEMBERSHIPS = """
            SELECT r.rolname, m.rolname FROM pg_auth_members a
              JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member""";

    private static final String TABLESPACES = """
            SELECT DISTINCT t.spcname FROM pg_class c JOIN pg_tablespace t ON t.oid = c.reltablespace
             WHERE t.spcname NOT IN ('pg_default', 'pg_global') ORDER BY 1""";

    private DatabaseGlobalsQuery() {
    }

    public static DatabaseGlobals read(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            String owner;
            int connectionLimit;
            boolean defaultAcl;
            String comment;
            try (ResultSet rs = st.executeQuery(DATABASE)) {
                rs.next();
                owner = rs.getString(1);
                connectionLimit = rs.getInt(2);
                defaultAcl = rs.getBoolean(3);
                comment = rs.getString(4);
            }
            List<DatabaseGlobals.AclEntry> acl = defaultAcl ? null : acl(st);
            List<String> settings = new ArrayList<>();
            List<DatabaseGlobals.RoleSettings> roleSettings = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(SETTINGS)) {
                while (rs.next()) {
                    List<String> config = strings(rs.getArray(2));
                    if (rs.getString(1) == null) {
                        settings.addAll(config);
                    } else {
                        roleSettings.add(new DatabaseGlobals.RoleSettings(rs.getString(1), config));
                    }
                }
            }
            Set<String> direct = new TreeSet<>();
            Set<String> withoutOwnership = new TreeSet<>();
            try (ResultSet rs = st.executeQuery(DEPENDENCIES)) {
                while (rs.next()) {
                    direct.add(rs.getString(1));
                    if (rs.getBoolean(2)) {
                        withoutOwnership.add(rs.getString(1));
                    }
                }
            }
            direct.add(owner);
            direct.addAll(strings(st, BOOTSTRAP_SUPERUSER));
            roleSettings.forEach(r -> direct.add(r.role()));
            if (acl != null) {
                acl.forEach(a -> {
                    if (a.grantee() != null) {
                        direct.add(a.grantee());
                    }
                    direct.add(a.grantor());
                });
            }
            List<RoleClosure.Edge> memberships = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(MEMBERSHIPS)) {
                while (rs.next()) {
                    memberships.add(new RoleClosure.Edge(rs.getString(1), rs.getString(2)));
                }
            }
            return new DatabaseGlobals(owner, connectionLimit, settings, roleSettings, acl, comment, RoleClosure.of(direct, memberships),
                    List.copyOf(withoutOwnership), strings(st, TABLESPACES));
        }
    }

    private static List<DatabaseGlobals.AclEntry> acl(Statement st) throws SQLException {
        List<DatabaseGlobals.AclEntry> entries = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(ACL)) {
            while (rs.next()) {
                entries.add(new DatabaseGlobals.AclEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)));
            }
        }
        return entries;
    }

    private static List<String> strings(Statement st, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
