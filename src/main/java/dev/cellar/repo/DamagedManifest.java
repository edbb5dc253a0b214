package dev.cellar.repo;

/**
 * A backup whose manifest cannot be read back (fails authentication or does not parse): the
 * backup is lost from this copy, and every listing says so instead of failing outright.
 *
 * @param id        the backup id, from the manifest's name
 * @param objectKey where the damaged object is ({@code backups/<id>})
 * @param problem   what is wrong with it
 */
public record DamagedManifest(String id, String objectKey, String problem) {

    static DamagedManifest of(String id, CorruptObjectException e) {
        return new DamagedManifest(id, e.objectKey(), e.getMessage());
    }
}
