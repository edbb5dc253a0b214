package dev.cellar.globals;

import dev.cellar.globals.GlobalsScript.Membership;
import dev.cellar.globals.GlobalsScript.RoleStatements;
import dev.cellar.globals.SqlScript.Token;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The statements that create the missing roles on a restore target, taken from the backup's
 * pg_dumpall script: each missing role with its attributes, comment and settings, then the
 * memberships that involve a role created here. A role that already exists is never altered, and
 * no membership between two existing roles is granted. Passwords are restored only on request.
 *
 * @param statements         to run in one transaction, in order
 * @param rolesCreated       the roles the statements create
 * @param membershipsGranted the memberships they grant, as "role -> member"
 * @param notes              what the operator should know (passwords left out, roles not in the script)
 */
public record RoleCreationPlan(List<String> statements, List<String> rolesCreated, List<String> membershipsGranted, List<String> notes) {
    /** Roles PostgreSQL creates itself in every cluster; their names are reserved. */
    public static final String PREDEFINED_PREFIX = "pg_";

    /**
     * @param wanted            the roles the restore needs (or, for a whole server, every role of the script)
     * @param present           the roles the target has
     * @param withPasswords     restore login passwords (when the backup has them)
     * @param passwordsInBackup whether the script was taken with passwords
     */
    public static RoleCreationPlan of(GlobalsScript script, Collection<String> wanted, Set<String> present, boolean withPasswords,
                                      boolean passwordsInBackup) {
        Set<String> missing = new LinkedHashSet<>();
        List<String> notes = new ArrayList<>();
        // script order first (pg_dumpall sorts roles by name), then roles the script lacks
        script.roles().keySet().stream().filter(wanted::contains).forEach(missing::add);
        wanted.stream().sorted().forEach(missing::add);
        missing.removeAll(present);
        List<String> predefined = missing.stream().filter(r -> r.startsWith(PREDEFINED_PREFIX)).toList();
        if (!predefined.isEmpty()) {
            missing.removeAll(predefined);
            notes.add("predefined role(s) " + String.join(", ", predefined) + " do not exist in this PostgreSQL version:"
                    + " memberships in them are left out");
        }
        List<String> statements = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        List<String> withoutPassword = new ArrayList<>();
        List<String> notInScript = new ArrayList<>();
        for (String role : missing) {
            statements.add("CREATE ROLE " + Sql.identifier(role) + ";");
            RoleStatements known = script.roles().get(role);
            if (known == null || known.attributes().isEmpty()) {
                notInScript.add(role);
                continue;
            }
            List<Token> attributes = withPasswords ? known.attributes() : withoutPassword(known.attributes());
            if (attributes.size() < known.attributes().size()) {
                withoutPassword.add(role);
            }
            rest.add(SqlScript.Statement.render(prefixed("ALTER ROLE " + Sql.identifier(role) + " WITH", attributes)));
            rest.addAll(known.others());
        }
        statements.addAll(rest);
        Set<String> existing = new LinkedHashSet<>(present);
        existing.addAll(missing);
        List<String> granted = new ArrayList<>();
        for (Membership m : script.memberships()) {
            boolean involvesNewRole = missing.contains(m.role()) || missing.contains(m.member());
            if (involvesNewRole && existing.contains(m.role()) && existing.contains(m.member())) {
                statements.add(m.sql(m.grantor() != null && existing.contains(m.grantor())));
                granted.add(m.role() + " -> " + m.member());
            }
        }
        if (!withoutPassword.isEmpty()) {
            notes.add("created without their password (pass --with-role-passwords to restore them, or set them with ALTER ROLE … PASSWORD): "
                    + String.join(", ", withoutPassword));
        }
        if (withPasswords && !passwordsInBackup && !missing.isEmpty()) {
            notes.add("the backup holds no role passwords (its role could not read pg_authid): set them with ALTER ROLE … PASSWORD");
        }
        if (!notInScript.isEmpty()) {
            notes.add("not in the backup's globals (created after they were taken?), so created NOLOGIN with default attributes: "
                    + String.join(", ", notInScript));
        }
        return new RoleCreationPlan(List.copyOf(statements), List.copyOf(missing), List.copyOf(granted), List.copyOf(notes));
    }

    /** The attributes without {@code PASSWORD '…'} (or {@code PASSWORD NULL}). */
    static List<Token> withoutPassword(List<Token> attributes) {
        List<Token> kept = new ArrayList<>();
        for (int i = 0; i < attributes.size(); i++) {
            if (attributes.get(i).is("PASSWORD") && i + 1 < attributes.size()) {
                i++;
            } else {
                kept.add(attributes.get(i));
            }
        }
        return kept;
    }

    private static List<Token> prefixed(String sql, List<Token> tokens) {
        List<Token> all = new ArrayList<>();
        all.add(new Token(SqlScript.Kind.WORD, sql, sql));
        all.addAll(tokens);
        return all;
    }
}
