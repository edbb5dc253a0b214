package dev.cellar.lifecycle.policy;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What erasing a data subject does to one personal-data column. */
public enum ErasureAction {
    /** The whole row goes: it is about the subject and nothing else needs it. */
    DELETE_ROW("delete-row"),
    /** The value becomes SQL NULL; only for nullable columns. */
    NULL("null"),
    /** The value is replaced by a stable pseudonym, for NOT NULL or unique columns others rely on. */
    PSEUDONYMISE("pseudonymise"),
    /** The value stays because the law requires it (financial records); the policy must say why. */
    KEEP("keep");

    private final String word;

    ErasureAction(String word) {
        this.word = word;
    }

    /** As the policy file writes it. */
    public String word() {
        return word;
    }

    public static Optional<ErasureAction> byWord(String word) {
        return Arrays.stream(values()).filter(a -> a.word.equals(word)).findFirst();
    }

    public static List<String> words() {
        return Arrays.stream(values()).map(ErasureAction::word).toList();
    }
}
