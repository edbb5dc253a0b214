package dev.cellar.backup;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a physical backup needs to know about the running server before it starts.
 *
 * @param dataDirectory  {@code data_directory} as the server reports it
 * @param pageSize       {@code block_size}, bytes per page
 * @param relationSegmentPages pages per relation segment file ({@code RELSEG_SIZE})
 * @param tablespaceNames user tablespaces by oid
 */
public record ServerFacts(int serverVersionNum, String serverVersion, String walLevel, long systemIdentifier, Path dataDirectory,
                          boolean dataChecksums, int pageSize, int relationSegmentPages, int walSegmentSize,
                          Map<Long, String> tablespaceNames) {
}
