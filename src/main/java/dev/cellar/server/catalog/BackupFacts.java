package dev.cellar.server.catalog;

import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.PhysicalInfo;

/** What a backup's manifest adds to its audit records: sizes, kind, parent and database. */
public record BackupFacts(String id, String physicalType, String parentId, String database, long sizeBytes, long storedBytes) {
    static final String FULL = "full";
    static final String INCREMENTAL = "incremental";

    public static BackupFacts of(BackupManifest manifest) {
        PhysicalInfo physical = manifest.physical();
        String type = physical == null ? null : PhysicalInfo.TYPE_INCREMENTAL.equals(physical.type()) ? INCREMENTAL : FULL;
        return new BackupFacts(manifest.id(), type, physical == null ? null : physical.parentId(), manifest.database(),
                manifest.totalBytes(), manifest.storedBytes());
    }
}
