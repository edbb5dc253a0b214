package dev.cellar.lifecycle;

import java.util.Optional;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;

/** A bucket whose lifecycle configuration Cellar can read and replace (an S3 repository's bucket). */
public interface BucketLifecycleTarget {

    /** {@code s3://bucket}, for messages. */
    String describe();

    /** The configuration the bucket has now, or empty when it has none. */
    Optional<BucketLifecycleConfiguration> current();

    /** Replaces the bucket's whole lifecycle configuration (S3 has no per-rule update). */
    void put(BucketLifecycleConfiguration configuration);
}
