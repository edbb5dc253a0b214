package dev.cellar.pipeline;

/** Bounds of content-defined chunks, recorded in the repository header so every writer agrees. */
public record ChunkerParameters(int minSize, int avgSize, int maxSize) {

    /**
     * 512 KiB on average. Smaller chunks deduplicate better; below about 256 KiB zstd switches to
     * its small-input parameters and compresses dump text about 5% worse.
     */
    public static final ChunkerParameters DEFAULT = ofAverage(512 * 1024);

    public ChunkerParameters {
        if (Integer.bitCount(avgSize) != 1) {
            throw new IllegalArgumentException("average chunk size must be a power of two: " + avgSize);
        }
        if (minSize <= 0 || minSize >= avgSize || avgSize >= maxSize) {
            throw new IllegalArgumentException("need 0 < min < avg < max, got " + minSize + "/" + avgSize + "/" + maxSize);
        }
    }

    /** Half the average as minimum (keeps chunks in zstd's large-input range), four times as maximum. */
    public static ChunkerParameters ofAverage(int avgSize) {
        return new ChunkerParameters(avgSize / 2, avgSize, avgSize * 4);
    }
}
