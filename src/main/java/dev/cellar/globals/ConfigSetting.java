package dev.cellar.globals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One {@code name=value} entry of {@code pg_db_role_setting.setconfig}, turned back into the
 * {@code SET name TO …} clause that recreates it. List settings such as {@code search_path} are
 * stored already quoted element by element; each element becomes its own literal, as pg_dump
 * does it, so that {@code "$user", public} does not come back as one odd schema name.
 */
public record ConfigSetting(String name, String value) {
    /** The settings PostgreSQL marks GUC_LIST_QUOTE (pg_dump keeps the same list). */
    private static final Set<String> LIST_QUOTED = Set.of("local_preload_libraries", "search_path", "session_preload_libraries",
            "shared_preload_libraries", "temp_tablespaces", "unix_socket_directories");

    public static ConfigSetting parse(String entry) {
        int equals = entry.indexOf('=');
        if (equals <= 0) {
            throw new IllegalArgumentException("not a name=value setting: " + entry);
        }
        return new ConfigSetting(entry.substring(0, equals), entry.substring(equals + 1));
    }

    /** {@code "name" TO 'value'}, to follow {@code ALTER DATABASE x SET} or {@code ALTER ROLE r IN DATABASE x SET}. */
    public String setClause() {
        StringBuilder sql = new StringBuilder(Sql.identifier(name)).append(" TO ");
        if (LIST_QUOTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
            List<String> elements = listElements(value);
            for (int i = 0; i < elements.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(Sql.literal(elements.get(i)));
            }
            if (elements.isEmpty()) {
                sql.append("''");
            }
        } else {
            sql.append(Sql.literal(value));
        }
        return sql.toString();
    }

    /**
     * Splits a stored list value at commas: elements in double quotes keep their text (a doubled
     * quote is one quote), others are trimmed and kept as they are (not folded to lower case).
     */
    static List<String> listElements(String value) {
        List<String> elements = new ArrayList<>();
        int i = 0;
        int n = value.length();
        while (true) {
            while (i < n && Character.isWhitespace(value.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return elements;
            }
            StringBuilder element = new StringBuilder();
            if (value.charAt(i) == '"') {
                i++;
                while (i < n) {
                    char c = value.charAt(i);
                    if (c == '"' && i + 1 < n && value.charAt(i + 1) == '"') {
                        element.append('"');
                        i += 2;
                    } else if (c == '"') {
                        i++;
                        break;
                    } else {
                        element.append(c);
                        i++;
                    }
                }
            } else {
                while (i < n && value.charAt(i) != ',') {
                    element.append(value.charAt(i));
                    i++;
                }
                int end = element.length();
                while (end > 0 && Character.isWhitespace(element.charAt(end - 1))) {
                    end--;
                }
                element.setLength(end);
            }
            elements.add(element.toString());
            while (i < n && Character.isWhitespace(value.charAt(i))) {
                i++;
            }
            if (i < n && value.charAt(i) == ',') {
                i++;
            } else {
                return elements;
            }
        }
    }
}
