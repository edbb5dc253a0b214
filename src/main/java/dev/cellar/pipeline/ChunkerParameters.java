package dev.cellar.pipeline;

/** Bounds of content-defined chunks, recorded in the repository header so every writer agrees. */
public record ChunkerParameters(int minSize, int avgSize, int maxSize) {

    public static final ChunkerParameters DEFAULT = ofAverage(1024 * 1024);

    public ChunkerParameters {
        if (Integer.bitCount(avgSize) != 1) {
            throw new IllegalArgumentException("average chunk size must be a power of two: " + avgSize);
        }
        if (minSize <= 0 || minSize >= avgSize || avgSize >= maxSize) {
            throw new IllegalArgumentException("need 0 < min < avg < max, got " + minSize + "/" + avgSize + "/" + maxSize);
        }
    }

    public static ChunkerParameters ofAverage(int avgSize) {
        return new ChunkerParameters(avgSize / 4, avgSize, avgSize * 4);
    }
}
