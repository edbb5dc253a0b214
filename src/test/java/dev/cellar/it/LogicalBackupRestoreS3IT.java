package dev.cellar.it;

/** {@link LogicalBackupRestoreIT} with the repository in a bucket of an S3 API server (S3Proxy on loopback).
 * Every test and assertion is inherited; only where the repository lives differs. */
class LogicalBackupRestoreS3IT extends LogicalBackupRestoreIT {
    private final S3Placement s3 = S3Placement.onS3Proxy();

    @Override
    protected RepositoryPlacement placement() {
        return s3;
    }
}
