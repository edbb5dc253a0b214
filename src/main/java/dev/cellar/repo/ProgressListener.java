package dev.cellar.repo;

/** Receives progress of long operations; the CLI draws it, the daemon turns it into metrics. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (phase, done, total) -> { };

    /**
     * @param phase what is being done ("dump", "restore", "verify")
     * @param done  bytes (or items) done so far
     * @param total expected total, -1 when unknown, or 0 for a step that has no measure (the
     *              phase names what is going on, e.g. "pg_restore into orders_db")
     */
    void progress(String phase, long done, long total);
}
