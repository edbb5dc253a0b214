package dev.cellar.globals;

import dev.cellar.globals.SqlScript.Statement;
import dev.cellar.globals.SqlScript.Token;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The output of {@code pg_dumpall --globals-only}, sorted by the object each statement is about:
 * per role its attributes, comment, settings and parameter privileges; the memberships between
 * roles; per tablespace its statements. A restore picks from it the roles a database needs,
 * instead of replaying the whole script (which would alter roles that already exist).
 * Statements it does not recognise are kept in {@link #unrecognised()} and never run.
 */
public final class GlobalsScript {
    private final Map<String, RoleStatements> roles = new LinkedHashMap<>();
    private final List<Membership> memberships = new ArrayList<>();
    private final Map<String, List<String>> tablespaces = new LinkedHashMap<>();
    private final List<String> unrecognised = new ArrayList<>();

    /**
     * What pg_dumpall says about one role. {@code attributes} is its {@code ALTER ROLE … WITH} as
     * tokens (so a password can be left out); {@code others} are the comment, security labels,
     * {@code ALTER ROLE … SET} and parameter privileges granted to it, in script order.
     */
    public record RoleStatements(String name, List<Token> attributes, List<String> others) {
    }

    /**
     * {@code GRANT role TO member …}: {@code options} are the tokens between the member and
     * {@code GRANTED BY} (such as {@code WITH ADMIN OPTION}), {@code grantor} null when not named.
     */
    public record Membership(String role, String member, List<Token> options, String grantor) {

        /** The GRANT statement, naming the grantor only when {@code withGrantor}. */
        public String sql(boolean withGrantor) {
            StringBuilder sql = new StringBuilder("GRANT ").append(Sql.identifier(role)).append(" TO ").append(Sql.identifier(member));
            for (Token option : options) {
                sql.append(' ').append(option.text());
            }
            if (withGrantor && grantor != null) {
                sql.append(" GRANTED BY ").append(Sql.identifier(grantor));
            }
            return sql.append(';').toString();
        }
    }

    private GlobalsScript() {
    }

    public static GlobalsScript parse(String script) {
        GlobalsScript parsed = new GlobalsScript();
        for (Statement statement : SqlScript.statements(script)) {
            parsed.add(statement);
        }
        return parsed;
    }

    /** Roles in script order (pg_dumpall sorts them by name). */
    public Map<String, RoleStatements> roles() {
        return roles;
    }

    public List<Membership> memberships() {
        return memberships;
    }

    /** Tablespace name to its statements ({@code CREATE TABLESPACE} first). */
    public Map<String, List<String>> tablespaces() {
        return tablespaces;
    }

    public List<String> unrecognised() {
        return unrecognised;
    }

    private void add(Statement s) {
        List<Token> t = s.tokens();
        if (s.startsWith("SET") || s.startsWith("SELECT")) {
            return;  // session settings of the script itself
        }
        if (s.startsWith("CREATE", "ROLE") && t.size() >= 3) {
            role(t.get(2).identifier());
        } else if (s.startsWith("ALTER", "ROLE") && t.size() >= 4 && t.get(3).is("WITH")) {
            RoleStatements role = role(t.get(2).identifier());
            roles.put(role.name(), new RoleStatements(role.name(), t.subList(4, t.size()), role.others()));
        } else if (s.startsWith("ALTER", "ROLE") && t.size() >= 4 && (t.get(3).is("SET") || t.get(3).is("RESET"))) {
            role(t.get(2).identifier()).others().add(s.text());
        } else if (s.startsWith("COMMENT", "ON", "ROLE") && t.size() >= 4) {
            role(t.get(3).identifier()).others().add(s.text());
        } else if (s.startsWith("SECURITY", "LABEL") && onObject(s, "ROLE") != null) {
            role(onObject(s, "ROLE")).others().add(s.text());
        } else if (s.startsWith("GRANT") && t.size() >= 4 && t.get(2).is("TO") && t.get(1).isIdentifier()) {
            memberships.add(membership(s));
        } else if ((s.startsWith("GRANT") || s.startsWith("REVOKE")) && s.indexOf("PARAMETER", 0) > 0) {
            String grantee = granteeOf(s);
            if (grantee != null) {
                role(grantee).others().add(s.text());
            } else {
                unrecognised.add(s.text());
            }
        } else if (s.startsWith("CREATE", "TABLESPACE") && t.size() >= 3) {
            tablespaces.computeIfAbsent(t.get(2).identifier(), k -> new ArrayList<>()).add(s.text());
        } else if (s.startsWith("ALTER", "TABLESPACE") && t.size() >= 3) {
            tablespaces.computeIfAbsent(t.get(2).identifier(), k -> new ArrayList<>()).add(s.text());
        } else if (onObject(s, "TABLESPACE") != null) {
            tablespaces.computeIfAbsent(onObject(s, "TABLESPACE"), k -> new ArrayList<>()).add(s.text());
        } else {
            unrecognised.add(s.text());
        }
    }

    private RoleStatements role(String name) {
        return roles.computeIfAbsent(name, n -> new RoleStatements(n, List.of(), new ArrayList<>()));
    }

    private static Membership membership(Statement s) {
        List<Token> t = s.tokens();
        int grantedBy = -1;
        for (int i = 4; i + 2 < t.size(); i++) {
            if (t.get(i).is("GRANTED") && t.get(i + 1).is("BY")) {
                grantedBy = i;
                break;
            }
        }
        List<Token> options = t.subList(4, grantedBy < 0 ? t.size() : grantedBy);
        String grantor = grantedBy < 0 ? null : t.get(grantedBy + 2).identifier();
        return new Membership(t.get(1).identifier(), t.get(3).identifier(), List.copyOf(options), grantor);
    }

    /** The name after {@code ON <kind>} (as in {@code COMMENT ON TABLESPACE x}), or null. */
    private static String onObject(Statement s, String kind) {
        List<Token> t = s.tokens();
        for (int i = 0; i + 2 < t.size(); i++) {
            if (t.get(i).is("ON") && t.get(i + 1).is(kind) && t.get(i + 2).isIdentifier()) {
                return t.get(i + 2).identifier();
            }
        }
        return null;
    }

    /** The role after {@code TO} (GRANT) or {@code FROM} (REVOKE), or null. */
    private static String granteeOf(Statement s) {
        int at = s.indexOf(s.startsWith("GRANT") ? "TO" : "FROM", 1);
        if (at < 0 || at + 1 >= s.tokens().size() || !s.tokens().get(at + 1).isIdentifier()) {
            return null;
        }
        return s.tokens().get(at + 1).identifier();
    }
}
