package dev.cellar.repo;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;

/** Finds backups by id or by "latest", reading manifests only as far as needed. */
public final class BackupCatalog {
    public static final String LATEST = "latest";

    private final Repository repository;

    public BackupCatalog(Repository repository) {
        this.repository = repository;
    }

    /** The manifest for an id, or the newest backup of the kind when {@code idOrLatest} is "latest". */
    public BackupManifest resolve(String idOrLatest, String kind) {
        if (!LATEST.equalsIgnoreCase(idOrLatest)) {
            BackupManifest manifest = repository.manifests().load(idOrLatest);
            if (kind != null && !kind.equals(manifest.kind())) {
                throw new CellarException(ErrorCode.NOT_FOUND, "backup " + idOrLatest + " is a " + manifest.kind() + " backup, not " + kind);
            }
            return manifest;
        }
        List<String> ids = new ArrayList<>(repository.manifests().ids());
        for (int i = ids.size() - 1; i >= 0; i--) {
            BackupManifest manifest = repository.manifests().load(ids.get(i));
            if (kind == null || kind.equals(manifest.kind())) {
                return manifest;
            }
        }
        throw new CellarException(ErrorCode.NOT_FOUND, "repository " + repository.storage().describe() + " holds no "
                + (kind == null ? "" : kind + " ") + "backup yet", "take one with 'cellar backup logical'");
    }

    /** Every backup, oldest first. */
    public List<BackupManifest> all() {
        return repository.manifests().ids().stream().map(repository.manifests()::load).toList();
    }
}
