package dev.cellar.sample;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a load produced: rows per table in load order (as reported by the server for each COPY),
 * their sum, and how long the whole load took including keys, indexes and ANALYZE.
 */
public record SampleLoadResult(Map<String, Long> rowsPerTable, long totalRows, Duration duration) {
    public SampleLoadResult {
        rowsPerTable = Collections.unmodifiableMap(new LinkedHashMap<>(rowsPerTable));
    }
}
