package dev.cellar.it;

/** {@link TimelineIT} with the repository in a bucket of an S3 API server (S3Proxy on loopback).
 * Every test and assertion is inherited; only where the repository lives differs. */
class TimelineS3IT extends TimelineIT {
    private final S3Placement s3 = S3Placement.onS3Proxy();

    @Override
    protected RepositoryPlacement placement() {
        return s3;
    }
}
