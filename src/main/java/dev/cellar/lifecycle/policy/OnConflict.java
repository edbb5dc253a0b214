package dev.cellar.lifecycle.policy;

/**
 * What retention does with a due row that a row not yet due still references (a 3-year order that a
 * 7-year payment points at): a category's {@code on-conflict:} key.
 */
public enum OnConflict {
    /** The due row stays until every row referencing it is due too; the safe default. */
    KEEP_PARENT("keep-parent"),
    /** The referencing rows' foreign-key columns are set to NULL, then the due row goes; needs nullable columns. */
    DETACH("detach");

    private final String policyText;

    OnConflict(String policyText) {
        this.policyText = policyText;
    }

    public String policyText() {
        return policyText;
    }

    public static java.util.Optional<OnConflict> parse(String text) {
        for (OnConflict value : values()) {
            if (value.policyText.equals(text)) {
                return java.util.Optional.of(value);
            }
        }
        return java.util.Optional.empty();
    }

    @Override
    public String toString() {
        return policyText;
    }
}
