package dev.cellar.verify;

import dev.cellar.wal.WalInventory;
import java.util.List;

/**
 * What {@code cellar verify --wal} found in the WAL archive.
 *
 * @param inventory        segments per timeline and the gaps between them
 * @param damaged          WAL objects that do not authenticate or do not match their checksum
 * @param backupsLackingWal physical backups whose own WAL range (start to stop) is not all archived
 * @param filesChecked     WAL objects read and authenticated
 * @param bytesChecked     their plaintext bytes
 */
public record WalArchiveReport(WalInventory inventory, List<String> damaged, List<String> backupsLackingWal,
                               long filesChecked, long bytesChecked) {

    public boolean ok() {
        return inventory.gaps().isEmpty() && damaged.isEmpty() && backupsLackingWal.isEmpty();
    }
}
