package dev.cellar.web.api;

/**
 * The last progress a running operation reported, as {@link dev.cellar.repo.ProgressListener} gives it.
 *
 * @param phase what is being done ("dump", "restore", "queued", ...)
 * @param done  bytes or items done
 * @param total expected total, -1 when unknown, 0 for a step without a measure
 */
public record OperationProgress(String phase, long done, long total) {
    public static final OperationProgress NONE = new OperationProgress("", 0, 0);
    public static final OperationProgress QUEUED = new OperationProgress("queued", 0, 0);
}
