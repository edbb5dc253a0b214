package dev.cellar.server.alert;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How full one copy of the repository is.
 *
 * @param copy          the copy's name in the configuration
 * @param bucket        true for an object store (no free space of its own: held against the quota)
 * @param usedBytes     what the repository holds (a folder: the file system's used space)
 * @param capacityBytes a folder's file system size; null for a bucket
 * @param freeBytes     a folder's space left to Cellar; null for a bucket
 * @param samples       earlier used-bytes readings, any order, for the growth projection
 */
public record StorageUsage(String copy, boolean bucket, long usedBytes, Long capacityBytes, Long freeBytes, List<Sample> samples) {
    public StorageUsage {
        Objects.requireNonNull(copy, "copy");
        samples = List.copyOf(samples);
    }

    /** Used bytes at one moment. */
    public record Sample(Instant at, long usedBytes) {
    }
}
