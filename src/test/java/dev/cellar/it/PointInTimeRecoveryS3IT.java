package dev.cellar.it;

/** {@link PointInTimeRecoveryIT} with the repository in a bucket of an S3 API server (S3Proxy on loopback).
 * Every test and assertion is inherited; only where the repository lives differs, so four markers
 * (one by each kind of target) prove the fetch from a bucket, where the folder variant takes ten. */
class PointInTimeRecoveryS3IT extends PointInTimeRecoveryIT {
    private final S3Placement s3 = S3Placement.onS3Proxy();

    @Override
    protected int markersRecovered() {
        return 4;
    }

    @Override
    protected RepositoryPlacement placement() {
        return s3;
    }
}
