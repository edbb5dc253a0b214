package dev.cellar.sample;

/**
 * Rows a churn run changed. {@code inserted} includes the audit rows the order-status trigger
 * writes; {@code updated} counts orders, payments and inventory rows.
 */
public record ChurnResult(long inserted, long updated, long deleted) {
    public long touched() {
        return inserted + updated + deleted;
    }
}
