package dev.cellar.drill.check;

/**
 * One consistency check run on a restored copy, with its verdict and, when it failed, the reason
 * a DBA can act on ("sequence public.orders_id_seq is at 41 below max(public.orders.id) = 1200").
 *
 * @param check   the kind of check: row-counts, foreign-keys, sequences, amcheck, invariant, marker, ...
 * @param subject what it looked at (a table, a constraint, an invariant's name), or "" for the whole copy
 * @param status  passed, failed, or skipped (with the reason, e.g. pg_amcheck not installed)
 * @param detail  what was found, in one line
 */
public record CheckResult(String check, String subject, Status status, String detail) {

    public enum Status { PASSED, FAILED, SKIPPED }

    public static CheckResult passed(String check, String subject, String detail) {
        return new CheckResult(check, subject, Status.PASSED, detail);
    }

    public static CheckResult failed(String check, String subject, String detail) {
        return new CheckResult(check, subject, Status.FAILED, detail);
    }

    public static CheckResult skipped(String check, String subject, String detail) {
        return new CheckResult(check, subject, Status.SKIPPED, detail);
    }

    public boolean failed() {
        return status == Status.FAILED;
    }
}
