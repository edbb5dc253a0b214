package dev.cellar.storage.s3;

import dev.cellar.storage.NoSuchObjectException;
import dev.cellar.storage.Retention;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRetentionResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The versions a versioned bucket keeps of the repository's objects: whether the bucket keeps
 * them at all, the history of a key (newest first, delete markers included), and reads of one
 * version. Only asked when something is missing or damaged, so an intact repository pays nothing
 * for it beyond one GetBucketVersioning.
 */
final class BucketVersions {
    /** One entry of a key's history: a stored version or a delete marker. */
    record Version(String objectKey, String versionId, boolean deleteMarker, boolean latest, Instant lastModified, long size) {
    }

    private final S3Client client;
    private final String bucket;
    private final S3Errors errors;
    private final String location;
    /** Null until asked. */
    private volatile Boolean versioned;

    BucketVersions(S3Client client, String bucket, S3Errors errors, String location) {
        this.client = client;
        this.bucket = bucket;
        this.errors = errors;
        this.location = location;
    }

    /**
     * Whether the bucket keeps old versions (versioning enabled or suspended; every bucket with
     * Object Lock), asked once. A key not allowed s3:GetBucketVersioning, or a server without
     * versioning, counts as not versioned.
     */
    boolean versioned(boolean objectLock) {
        Boolean known = versioned;
        if (known == null) {
            known = objectLock;
            if (!known) {
                try {
                    BucketVersioningStatus status = client.getBucketVersioning(b -> b.bucket(bucket)).status();
                    known = status == BucketVersioningStatus.ENABLED || status == BucketVersioningStatus.SUSPENDED;
                } catch (S3Exception e) {
                    if (e.statusCode() != 403 && e.statusCode() != 404 && e.statusCode() != 501 && e.statusCode() != 400) {
                        throw errors.translate("read the versioning state of", "", e);
                    }
                    known = false;
                } catch (SdkException e) {
                    throw errors.translate("read the versioning state of", "", e);
                }
            }
            versioned = known;
        }
        return known;
    }

    /** Every version and delete marker of the objects under {@code objectPrefix}, by object key, each key's newest first. */
    TreeMap<String, List<Version>> history(String objectPrefix, String keyForErrors) {
        TreeMap<String, List<Version>> byKey = new TreeMap<>();
        try {
            ListObjectVersionsRequest request = ListObjectVersionsRequest.builder().bucket(bucket).prefix(objectPrefix).build();
            for (ListObjectVersionsResponse page : client.listObjectVersionsPaginator(request)) {
                for (ObjectVersion v : page.versions()) {
                    byKey.computeIfAbsent(v.key(), k -> new ArrayList<>()).add(new Version(v.key(), v.versionId(), false,
                            Boolean.TRUE.equals(v.isLatest()), v.lastModified(), v.size() == null ? 0 : v.size()));
                }
                for (DeleteMarkerEntry m : page.deleteMarkers()) {
                    byKey.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(new Version(m.key(), m.versionId(), true,
                            Boolean.TRUE.equals(m.isLatest()), m.lastModified(), 0));
                }
            }
        } catch (SdkException e) {
            throw errors.translate("list the versions of", keyForErrors, e);
        }
        // the latest first, then by time: servers list a key's versions newest first, but say so explicitly
        byKey.values().forEach(versions -> versions.sort(Comparator.comparing(Version::latest).reversed()
                .thenComparing(Version::lastModified, Comparator.nullsLast(Comparator.reverseOrder()))));
        return byKey;
    }

    /** The history of exactly one object key, newest first (empty when the bucket never held it). */
    List<Version> historyOf(String objectKey, String key) {
        return history(objectKey, key).getOrDefault(objectKey, List.of());
    }

    /** The bytes of one version. */
    byte[] get(String objectKey, String versionId, String key) {
        try {
            ResponseBytes<GetObjectResponse> bytes = client.getObjectAsBytes(b -> b.bucket(bucket).key(objectKey).versionId(versionId));
            return bytes.asByteArray();
        } catch (S3Exception e) {
            if (S3Errors.isNotFound(e)) {
                throw new NoSuchObjectException(key + " (version " + versionId + ")", location);
            }
            throw errors.translate("read a version of", key, e);
        } catch (SdkException e) {
            throw errors.translate("read a version of", key, e);
        }
    }

    /** The lock of one version, if it has one. */
    Optional<Retention> retention(String objectKey, String versionId, String key) {
        try {
            GetObjectRetentionResponse response = client.getObjectRetention(b -> b.bucket(bucket).key(objectKey).versionId(versionId));
            if (response.retention() == null || response.retention().mode() == null || response.retention().retainUntilDate() == null) {
                return Optional.empty();
            }
            return Optional.of(new Retention(Retention.Mode.valueOf(response.retention().modeAsString()),
                    response.retention().retainUntilDate()));
        } catch (S3Exception e) {
            if (e.statusCode() == 404 || e.statusCode() == 405 || e.statusCode() == 400
                    || S3Errors.code(e).equals("NoSuchObjectLockConfiguration")) {
                return Optional.empty();
            }
            throw errors.translate("read the retention of", key, e);
        } catch (SdkException e) {
            throw errors.translate("read the retention of", key, e);
        }
    }
}
