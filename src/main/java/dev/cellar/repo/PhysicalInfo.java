package dev.cellar.repo;

import java.util.List;

/**
 * What a physical (file-level) backup of a cluster recorded: where in the WAL it starts and
 * stops, the files with their blocks, and the labels PostgreSQL needs to recover from it. Every
 * manifest lists every file, so an incremental backup restores on its own like a full one.
 *
 * @param type             {@code full} or {@code incr}
 * @param parentId         for an incremental backup, the backup whose unchanged files it reused
 * @param systemIdentifier the cluster's {@code pg_control} system identifier
 * @param timeline         timeline the backup started on
 * @param startLsn         LSN returned by {@code pg_backup_start}, e.g. {@code 0/3000028}
 * @param stopLsn          LSN returned by {@code pg_backup_stop}: recovery must replay at least to here
 * @param startWal         WAL file holding {@code startLsn}: the first segment a restore needs
 * @param stopWal          WAL file holding {@code stopLsn}: the last segment a consistent restore needs
 * @param walSegmentSize   the cluster's {@code wal_segment_size} in bytes
 * @param serverVersionNum {@code server_version_num}, e.g. 150018
 * @param dataChecksums    whether the cluster has page checksums (and they were validated)
 * @param backupLabel      contents of {@code backup_label} as {@code pg_backup_stop} returned it
 * @param tablespaceMap    contents of {@code tablespace_map}, or empty when there are no tablespaces
 * @param tablespaces      user tablespaces: oid and where their files lived
 * @param directories      every directory of the backup (relative to the data directory), so
 *                         empty ones such as {@code pg_wal} and {@code pg_tblspc} come back
 * @param files            every regular file with its blocks
 * @param badPages         pages whose checksum did not verify while reading ("path block n")
 */
public record PhysicalInfo(
        String type,
        String parentId,
        long systemIdentifier,
        int timeline,
        String startLsn,
        String stopLsn,
        String startWal,
        String stopWal,
        int walSegmentSize,
        int serverVersionNum,
        boolean dataChecksums,
        String backupLabel,
        String tablespaceMap,
        List<TablespaceEntry> tablespaces,
        List<DirectoryEntry> directories,
        List<FileEntry> files,
        List<String> badPages) {

    public static final String TYPE_FULL = "full";
    public static final String TYPE_INCREMENTAL = "incr";

    public PhysicalInfo {
        tablespaces = tablespaces == null ? List.of() : tablespaces;
        directories = directories == null ? List.of() : directories;
        files = files == null ? List.of() : files;
        badPages = badPages == null ? List.of() : badPages;
    }

    /**
     * A user tablespace. Its files are stored under {@code pg_tblspc/<oid>/...} like PostgreSQL
     * names them through the symbolic link.
     */
    public record TablespaceEntry(long oid, String name, String location) {
    }

    /** A directory, by path relative to the data directory, with its permission bits. */
    public record DirectoryEntry(String path, int mode) {
    }

    /**
     * One regular file.
     *
     * @param path        relative to the data directory ({@code base/5/16384}, {@code pg_tblspc/16400/...})
     * @param size        bytes read (a file that shrank while being read is stored as read)
     * @param mtimeMillis modification time when read, for the next incremental's unchanged-file test
     * @param mode        permission bits
     * @param crc32c      CRC-32C of the content as 8 hex digits, as PostgreSQL's backup_manifest records it
     * @param chunks      the content, in order
     */
    public record FileEntry(String path, long size, long mtimeMillis, int mode, String crc32c, List<ChunkRef> chunks) {
        public FileEntry {
            chunks = chunks == null ? List.of() : chunks;
        }
    }

    public long totalBytes() {
        return files.stream().mapToLong(FileEntry::size).sum();
    }
}
