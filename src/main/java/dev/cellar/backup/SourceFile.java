package dev.cellar.backup;

import java.nio.file.Path;

/**
 * A regular file of the data directory as the scan saw it, before it is read.
 *
 * @param path     relative to the data directory, '/' separated (tablespace files under {@code pg_tblspc/<oid>/})
 * @param location where it is read from (through the tablespace link for tablespace files)
 * @param relation the relation file it is, or null for other files (no page checksums)
 */
public record SourceFile(String path, Path location, long size, long mtimeMillis, int mode, RelationFile relation) {
}
