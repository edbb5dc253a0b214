package dev.cellar.report;

/** The verdict of one check of an audit report. Only {@link #FAILED} makes the report fail. */
public enum CheckStatus {
    PASSED,
    FAILED,
    /** The check does not apply here (storage without retention, no physical backup): the reason says why; it did not pass. */
    NOT_APPLICABLE,
    /** The repository holds no evidence either way (a restore whose record does not say whether erasures were re-applied). */
    NOT_EVIDENCED;

    /** The word a report prints. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
