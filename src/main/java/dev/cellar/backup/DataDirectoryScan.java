package dev.cellar.backup;

import dev.cellar.repo.PhysicalInfo;
import java.util.List;

/** What a walk of the data directory found to back up: its folders, files and tablespace links. */
public record DataDirectoryScan(List<PhysicalInfo.DirectoryEntry> directories, List<SourceFile> files,
                                List<TablespaceLink> tablespaces) {

    /** A {@code pg_tblspc/<oid>} symbolic link and where it points. */
    public record TablespaceLink(long oid, String target) {
    }

    public long totalBytes() {
        return files.stream().mapToLong(SourceFile::size).sum();
    }
}
