package dev.cellar.it;

/** {@link PhysicalBackupIT} with the repository in a bucket of an S3 API server (S3Proxy on loopback).
 * Every test and assertion is inherited; only where the repository lives differs. */
class PhysicalBackupS3IT extends PhysicalBackupIT {
    private final S3Placement s3 = S3Placement.onS3Proxy();

    @Override
    protected RepositoryPlacement placement() {
        return s3;
    }
}
