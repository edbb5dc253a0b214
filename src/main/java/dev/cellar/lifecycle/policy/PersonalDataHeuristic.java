package dev.cellar.lifecycle.policy;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Guesses, from its name and type, whether a column holds personal data, so the schema check can
 * point at tables the policy forgot. A column is personal when a word of its name (split at '_')
 * is one of {@link #WORDS}, when it names a person ({@code full_name}, {@code first_name}, ...:
 * a bare {@code name} names cafes and dishes far more often than people), or when its type is
 * {@code inet} or {@code cidr} (an IP address identifies a device and so a person). A guess: it
 * misses personal data in free text and JSON, and the policy silences a false alarm with
 * {@code not-personal:}.
 */
public final class PersonalDataHeuristic {
    static final Set<String> WORDS = Set.of("email", "mail", "phone", "mobile", "fax", "address", "street", "city",
            "postal", "zip", "postcode", "birth", "birthday", "birthdate", "dob", "ip", "ssn", "passport",
            "surname", "firstname", "lastname", "fullname", "username");
    private static final Set<String> PERSON_NAME_QUALIFIERS = Set.of("first", "last", "full", "given", "family", "middle",
            "maiden", "user", "contact", "customer");
    private static final Set<String> ADDRESS_TYPES = Set.of("inet", "cidr");

    private PersonalDataHeuristic() {
    }

    public static boolean looksPersonal(SchemaColumn column) {
        if (ADDRESS_TYPES.contains(column.type())) {
            return true;
        }
        List<String> words = Arrays.asList(column.name().toLowerCase(java.util.Locale.ROOT).split("_"));
        for (int i = 0; i < words.size(); i++) {
            if (WORDS.contains(words.get(i))) {
                return true;
            }
            if (words.get(i).equals("name") && i > 0 && PERSON_NAME_QUALIFIERS.contains(words.get(i - 1))) {
                return true;
            }
        }
        return false;
    }

    /** The columns of {@code table} that look personal, in table order. */
    public static List<String> personalColumns(SchemaTable table) {
        return table.columns().stream().filter(PersonalDataHeuristic::looksPersonal).map(SchemaColumn::name).toList();
    }
}
