package dev.cellar.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One copy of the repository: a local folder or an S3 bucket, with its own retention. All
 * copies share one repository id and one data key, so an object means the same in each and can
 * be copied between them byte for byte.
 *
 * @param name      what the DBA calls it ("local", "cloud"); "main" when only repository.path is set
 * @param path      the folder, for a local copy; null for S3
 * @param s3        the bucket, for an S3 copy; null for a local one
 * @param retention how long this copy keeps backups and WAL
 */
public record RepositoryTarget(String name, Path path, S3Config s3, RetentionConfig retention) {

    public RepositoryTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(retention, "retention");
        if ((path == null) == (s3 == null)) {
            throw new IllegalArgumentException("a repository is either a folder or a bucket");
        }
    }

    public boolean isS3() {
        return s3 != null;
    }

    /** The folder or {@code s3://bucket/prefix}, for messages. */
    public String location() {
        return isS3() ? s3.location() : path.toString();
    }
}
