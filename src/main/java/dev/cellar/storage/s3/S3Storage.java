package dev.cellar.storage.s3;

import dev.cellar.config.S3Config;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.storage.HiddenObject;
import dev.cellar.storage.NoSuchObjectException;
import dev.cellar.storage.ObjectArchivedException;
import dev.cellar.storage.ObjectLockedException;
import dev.cellar.storage.Retention;
import dev.cellar.storage.Storage;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetBucketLifecycleConfigurationResponse;
import software.amazon.awssdk.services.s3.model.GetObjectLockConfigurationResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRetentionResponse;
import software.amazon.awssdk.services.s3.model.GlacierJobParameters;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetention;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.RestoreRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tier;

/**
 * A repository in an S3 bucket (AWS S3, MinIO, Ceph RGW or any S3-compatible store), under a
 * key prefix.
 *
 * <p>How it keeps the {@link Storage} contract:
 * <ul>
 *   <li>Atomic put: an S3 PUT (or a completed multipart upload) makes the whole object visible at
 *       once; a failed multipart upload is aborted, so no part of it is ever readable or billed.</li>
 *   <li>Read-after-write and listing: S3 (since 2020) and the compatible servers are strongly
 *       consistent; listings are paginated and returned in ascending order.</li>
 *   <li>Create-if-absent: a conditional PUT ({@code If-None-Match: *}). A server that answers it
 *       with 501 is remembered, and this storage then falls back to HEAD-then-PUT. That fallback
 *       has a race (two writers can both see the key free and both write): harmless for chunks,
 *       whose content is fixed by their key, but two concurrent writers of other objects could
 *       both be told they won. Use a server with conditional writes (AWS S3, MinIO since 2024)
 *       for repositories written by several hosts at once.</li>
 *   <li>Integrity: Content-MD5 on every upload when the SDK's own checksums are off
 *       (checksum-mode: when-required), CRC32 from the SDK otherwise; the ETag of a single-part
 *       upload or part is compared with its MD5 when it is one; a download must be as long as the
 *       server said and cover the range asked for, and a whole single-part object must match its
 *       MD5 ETag. A short or damaged transfer is retried, never returned. What no check here can
 *       see (a flipped byte in a ranged read or in a multipart object read without the SDK's
 *       checksums, or an object damaged at rest) the repository catches: it authenticates every
 *       object (AES-GCM) and reports it as corrupt.</li>
 *   <li>Retention (Object Lock): objects are written with mode and retain-until date; before any
 *       delete or overwrite Cellar reads the retention and refuses itself, whether or not the
 *       server would.</li>
 * </ul>
 * Retries with backoff and jitter are the SDK's; after the last attempt every failure becomes a
 * {@link CellarException} naming the object and the endpoint.
 */
public final class S3Storage implements Storage {
    private static final Set<String> ARCHIVE_CLASSES = Set.of("GLACIER", "DEEP_ARCHIVE");
    private static final String WAL_PREFIX = "wal/";
    /** A chunk's HEAD and PUT each wait a round trip; four per worker keep 2 cores busy on loopback (bench/s3.sh). */
    private static final int REQUESTS_PER_WORKER = 4;

    private final S3Config config;
    private final S3Client client;
    private final S3Errors errors;
    private final S3RetryPolicy retries;
    private final ExecutorService partPool;
    private final MultipartUploader multipart;
    /** This host's clock: lock decisions fall back to it only while the server has not told its own time. */
    private final Clock clock;
    private final ServerDates serverDates;
    private final String bucket;
    private final String keyPrefix;
    private final long partSize;
    private final boolean sendMd5;
    /** False once the server has answered a conditional PUT with 501. */
    private volatile boolean conditionalWrites = true;
    /** False once a download showed that this server's ETags are not the MD5 of the content. */
    private volatile boolean eTagsAreMd5 = true;
    /** Whether the bucket has Object Lock enabled; null until asked. */
    private volatile Boolean objectLock;
    private final BucketVersions versions;
    /** Objects this storage read from an older version because another client hid the newest (see {@link #read}). */
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Map<String, HiddenObject> hiddenReads = new java.util.concurrent.ConcurrentHashMap<>();

    private S3Storage(S3Config config, S3Client client, S3RetryPolicy retries, Clock clock, ServerDates serverDates) {
        this.config = config;
        this.serverDates = serverDates;
        this.client = client;
        this.errors = new S3Errors(config);
        this.retries = retries;
        this.clock = clock;
        this.bucket = config.bucket();
        this.keyPrefix = config.prefix();
        this.partSize = (long) config.partSizeMib() * 1024 * 1024;
        this.sendMd5 = config.checksumMode() == S3Config.ChecksumMode.WHEN_REQUIRED;
        this.partPool = Executors.newFixedThreadPool(Math.max(1, config.uploadThreads()), daemonThreads("cellar-s3-part-"));
        this.multipart = new MultipartUploader(client, bucket, partPool, (int) partSize, sendMd5);
        this.versions = new BucketVersions(client, bucket, errors, config.location());
    }

    /** Opens the bucket described by {@code config}, reading credential variables from {@code env}. */
    public static S3Storage open(S3Config config, Map<String, String> env) {
        return open(config, env, S3Timeouts.DEFAULT, Clock.systemUTC());
    }

    /**
     * As {@link #open(S3Config, Map)}, with explicit timeouts and this host's clock (retention is
     * judged by the server's clock; this one is the fallback before its first answer).
     */
    public static S3Storage open(S3Config config, Map<String, String> env, S3Timeouts timeouts, Clock clock) {
        validate(config);
        S3RetryPolicy retries = new S3RetryPolicy(config.maxAttempts(), timeouts);
        ServerDates serverDates = new ServerDates();
        return new S3Storage(config, S3ClientFactory.create(config, env, timeouts, retries, serverDates), retries, clock, serverDates);
    }

    private static void validate(S3Config config) {
        if (!config.prefix().isEmpty() && !config.prefix().endsWith("/")) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "the key prefix of " + config.location() + " must end with '/'");
        }
        if (config.partSizeMib() < 5 || config.partSizeMib() > 2047) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "part-size-mib of " + config.location() + " is " + config.partSizeMib(),
                    "S3 parts are 5 MiB at least; use 5 to 2047");
        }
        if (config.maxAttempts() < 1 || config.uploadThreads() < 1) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "max-attempts and upload-threads of " + config.location() + " must be at least 1");
        }
    }

    /** The folder inside the bucket that holds the repository: "" or ending with '/'. */
    public String keyPrefix() {
        return keyPrefix;
    }

    @Override
    public String describe() {
        return config.location();
    }

    // ---- writes

    @Override
    public void put(String key, byte[] data) {
        refuseIfLocked(key);
        try {
            write(uploadOf(key, data, null, false));
        } catch (SdkException e) {
            throw errors.translate("write", key, e);
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        return create(key, data, null);
    }

    /** S3 makes an object durable before the PUT returns, so there is nothing to defer. */
    @Override
    public boolean putIfAbsentLazily(String key, byte[] data) {
        return putIfAbsent(key, data);
    }

    @Override
    public int requestsPerWorker() {
        return REQUESTS_PER_WORKER;
    }

    /** s3.max-concurrency, or more when the workers alone would keep more requests busy. */
    @Override
    public int requestsInFlight(int workers) {
        return Math.max(workers * REQUESTS_PER_WORKER, config.maxConcurrency());
    }

    /**
     * A HEAD would cost the round trip that the conditional PUT spends anyway: its 412 says the
     * object existed (and a server without conditional writes gets the HEAD inside {@link #create}).
     */
    @Override
    public boolean askBeforeCreate() {
        return false;
    }

    @Override
    public void flushLazyWrites() {
        // every PUT is durable when it returns
    }

    private boolean create(String key, byte[] data, Retention retention) {
        if (data.length > partSize && exists(key)) {
            return false; // spares uploading a large object only to be refused at completion
        }
        if (conditionalWrites) {
            for (int attempt = 1; ; attempt++) {
                try {
                    write(uploadOf(key, data, retention, true));
                    return true;
                } catch (S3Exception e) {
                    int status = e.statusCode();
                    if (status == 412) {
                        return wroteItEarlier(key, data);
                    }
                    if (status == 409 && attempt < retries.maxAttempts()) {
                        // ConditionalRequestConflict: another conditional write of this key is in flight
                        retries.pauseBefore(attempt + 1);
                        continue;
                    }
                    if (status == 501 || S3Errors.code(e).equals("NotImplemented")) {
                        conditionalWrites = false;
                        break;
                    }
                    throw errors.translate("create", key, e);
                } catch (SdkException e) {
                    throw errors.translate("create", key, e);
                }
            }
        }
        if (exists(key)) {
            return false;
        }
        try {
            write(uploadOf(key, data, retention, false));
            return true;
        } catch (SdkException e) {
            throw errors.translate("create", key, e);
        }
    }

    /**
     * A conditional PUT refused because the key exists may have been refused because of this
     * writer's own earlier attempt (the SDK retries a PUT whose response was lost): then the
     * object holds exactly these bytes, and this writer created it.
     */
    private boolean wroteItEarlier(String key, byte[] data) {
        try {
            return size(key) == data.length && Arrays.equals(get(key), data);
        } catch (NoSuchObjectException e) {
            return false;
        }
    }

    private Upload uploadOf(String key, byte[] data, Retention retention, boolean onlyIfAbsent) {
        String storageClass = key.startsWith(WAL_PREFIX) ? config.walStorageClass() : config.storageClass();
        // STANDARD is every bucket's default: leaving it out keeps servers that know no storage classes happy
        return new Upload(key, objectKey(key), data, storageClass.equals(S3Config.DEFAULT_STORAGE_CLASS) ? null : storageClass,
                retention, onlyIfAbsent);
    }

    /** One upload, single-part or multipart, retried while the server reports having received damaged bytes. */
    private void write(Upload upload) {
        for (int attempt = 1; ; attempt++) {
            String problem;
            try {
                if (upload.data().length > partSize) {
                    multipart.upload(upload);
                } else {
                    putSingle(upload);
                }
                return;
            } catch (MultipartUploader.DamagedUploadException e) {
                problem = e.getMessage();
            } catch (S3Exception e) {
                if (!S3Errors.code(e).equals("BadDigest")) {
                    throw e;
                }
                problem = "the server received bytes that do not match their Content-MD5 (BadDigest)";
            }
            if (attempt >= retries.maxAttempts()) {
                throw errors.damaged("write", upload.key(), attempt, problem);
            }
            retries.pauseBefore(attempt + 1);
        }
    }

    private void putSingle(Upload upload) {
        byte[] data = upload.data();
        Md5 md5 = Md5.of(data, 0, data.length);
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(upload.objectKey())
                .contentLength((long) data.length);
        if (sendMd5) {
            request.contentMD5(md5.base64());
        }
        if (upload.storageClass() != null) {
            request.storageClass(upload.storageClass());
        }
        if (upload.onlyIfAbsent()) {
            request.ifNoneMatch("*");
        }
        if (upload.retention() != null) {
            request.objectLockMode(ObjectLockMode.fromValue(upload.retention().mode().name()))
                    .objectLockRetainUntilDate(upload.retention().retainUntil());
        }
        PutObjectResponse response = client.putObject(request.build(),
                RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data), data.length, "application/octet-stream"));
        if (md5.contradictedBy(response.eTag(), response.serverSideEncryptionAsString())) {
            if (upload.onlyIfAbsent()) {
                // this writer created the damaged object: remove it so that the retry can create it again
                client.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(upload.objectKey()).build());
            }
            throw new MultipartUploader.DamagedUploadException("stored with ETag " + response.eTag() + " but the bytes sent have MD5 " + md5.hex());
        }
    }

    // ---- reads

    @Override
    public byte[] get(String key) {
        return download(key, GetObjectRequest.builder().bucket(bucket).key(objectKey(key)).build(), -1, 0);
    }

    /**
     * On a versioned bucket, an object whose newest version another client hid is read from the
     * version under it, and remembered ({@link #hiddenObjectsRead}) for verify to report:
     * <ul>
     *   <li>newest version does not authenticate ({@code decode} says INTEGRITY): the newest older
     *       version that does. Cellar never overwrites an object with other content, so any
     *       authentic version is the object;</li>
     *   <li>newest version is a delete marker: the version under it, only while that version is
     *       locked. Cellar never deletes a locked object, so that marker is another client's; a
     *       marker over an unlocked version may be Cellar's own expire or gc, which only the
     *       audit trail tells ({@code cellar verify --all} judges those).</li>
     * </ul>
     */
    @Override
    public <T> T read(String key, Function<byte[], T> decode) {
        try {
            return decode.apply(get(key));
        } catch (NoSuchObjectException missing) {
            return readBehindDeleteMarker(key, decode).orElseThrow(() -> missing);
        } catch (CellarException damaged) {
            if (damaged.code() != ErrorCode.INTEGRITY) {
                throw damaged;
            }
            return readOlderIntactVersion(key, decode).orElseThrow(() -> damaged);
        }
    }

    private <T> Optional<T> readBehindDeleteMarker(String key, Function<byte[], T> decode) {
        if (!versioned()) {
            return Optional.empty();
        }
        List<BucketVersions.Version> history = versions.historyOf(objectKey(key), key);
        if (history.isEmpty() || !history.get(0).deleteMarker()) {
            return Optional.empty();
        }
        Optional<BucketVersions.Version> under = history.stream().filter(v -> !v.deleteMarker()).findFirst();
        if (under.isEmpty()) {
            return Optional.empty();
        }
        Optional<Retention> lock = versions.retention(objectKey(key), under.get().versionId(), key);
        if (lock.isEmpty() || !lock.get().activeAt(lockTime(clock))) {
            return Optional.empty();
        }
        T decoded = decode.apply(versions.get(objectKey(key), under.get().versionId(), key));
        hiddenReads.put(key, new HiddenObject(key, under.get().versionId(), HiddenObject.Kind.BEHIND_DELETE_MARKER,
                history.get(0).lastModified(), lock.get()));
        return Optional.of(decoded);
    }

    private <T> Optional<T> readOlderIntactVersion(String key, Function<byte[], T> decode) {
        if (!versioned()) {
            return Optional.empty();
        }
        List<BucketVersions.Version> stored = versions.historyOf(objectKey(key), key).stream().filter(v -> !v.deleteMarker()).toList();
        for (int i = 1; i < stored.size(); i++) {
            BucketVersions.Version older = stored.get(i);
            T decoded;
            try {
                decoded = decode.apply(versions.get(objectKey(key), older.versionId(), key));
            } catch (CellarException e) {
                if (e.code() != ErrorCode.INTEGRITY) {
                    throw e;
                }
                continue;
            }
            hiddenReads.put(key, new HiddenObject(key, older.versionId(), HiddenObject.Kind.OVERWRITTEN, stored.get(0).lastModified(),
                    versions.retention(objectKey(key), older.versionId(), key).orElse(null)));
            return Optional.of(decoded);
        }
        return Optional.empty();
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("bad range: offset " + offset + ", length " + length);
        }
        if (length == 0) {
            size(key); // a missing object is still an error
            return new byte[0];
        }
        GetObjectRequest request = GetObjectRequest.builder().bucket(bucket).key(objectKey(key))
                .range("bytes=" + offset + "-" + (offset + length - 1)).build();
        return download(key, request, offset, length);
    }

    /**
     * A GET, retried until the body passes {@link BodyCheck} and, for a whole object whose ETag is
     * an MD5, until its MD5 matches; offset -1 for the whole object.
     */
    private byte[] download(String key, GetObjectRequest request, long offset, int length) {
        byte[] mismatched = null;
        for (int attempt = 1; ; attempt++) {
            ResponseBytes<GetObjectResponse> bytes;
            try {
                bytes = client.getObjectAsBytes(request);
            } catch (S3Exception e) {
                if (S3Errors.isNotFound(e)) {
                    throw new NoSuchObjectException(key, describe());
                }
                if (S3Errors.code(e).equals("InvalidObjectState")) {
                    throw archived(key);
                }
                if (e.statusCode() == 416 && offset >= 0) {
                    return new byte[0]; // the range starts at or past the end
                }
                throw errors.translate("read", key, e);
            } catch (SdkClientException e) {
                if (e.getMessage() == null || !e.getMessage().contains("checksum") || attempt >= retries.maxAttempts()) {
                    throw errors.translate("read", key, e);
                }
                // the SDK's own CRC check of the body failed: damaged in transit, read it again
                retries.pauseBefore(attempt + 1);
                continue;
            } catch (SdkException e) {
                throw errors.translate("read", key, e);
            }
            GetObjectResponse response = bytes.response();
            byte[] body = bytes.asByteArrayUnsafe();
            String problem = offset < 0 ? BodyCheck.wholeProblem(response, body) : BodyCheck.rangeProblem(response, body, offset, length);
            if (problem == null && offset < 0 && eTagsAreMd5) {
                Md5 md5 = Md5.of(body, 0, body.length);
                if (md5.contradictedBy(response.eTag(), response.serverSideEncryptionAsString())) {
                    if (mismatched != null && Arrays.equals(mismatched, body)) {
                        // the same bytes twice: damage in transit is not that regular, so this server's ETags are no MD5
                        eTagsAreMd5 = false;
                        return body;
                    }
                    mismatched = body;
                    problem = "the body's MD5 " + md5.hex() + " does not match its ETag " + response.eTag();
                }
            }
            if (problem == null) {
                if (offset >= 0 && response.contentRange() == null) {
                    // the server ignored Range and sent the whole object
                    int from = (int) Math.min(offset, body.length);
                    return Arrays.copyOfRange(body, from, (int) Math.min((long) from + length, body.length));
                }
                return body;
            }
            if (attempt >= retries.maxAttempts()) {
                throw errors.damaged("read", key, attempt, problem);
            }
            retries.pauseBefore(attempt + 1);
        }
    }

    private ObjectArchivedException archived(String key) {
        Optional<HeadObjectResponse> head = head(key);
        String storageClass = head.map(HeadObjectResponse::storageClassAsString).orElse("GLACIER");
        boolean thawing = head.map(HeadObjectResponse::restore).map(r -> r.contains("ongoing-request=\"true\"")).orElse(false);
        return new ObjectArchivedException(key, storageClass == null ? "GLACIER" : storageClass, describe(), thawing);
    }

    @Override
    public boolean exists(String key) {
        return head(key).isPresent();
    }

    @Override
    public long size(String key) {
        return head(key).orElseThrow(() -> new NoSuchObjectException(key, describe())).contentLength();
    }

    private Optional<HeadObjectResponse> head(String key) {
        try {
            return Optional.of(client.headObject(b -> b.bucket(bucket).key(objectKey(key))));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw errors.translate("inspect", key, e);
        } catch (SdkException e) {
            throw errors.translate("inspect", key, e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        List<String> keys = new ArrayList<>();
        try {
            ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(keyPrefix + prefix).build();
            for (S3Object object : client.listObjectsV2Paginator(request).contents()) {
                String key = object.key().substring(keyPrefix.length());
                // folder markers made by consoles and other tools are not objects of the repository
                if (!key.isEmpty() && !key.endsWith("/")) {
                    keys.add(key);
                }
            }
        } catch (SdkException e) {
            throw errors.translate("list", prefix, e);
        }
        keys.sort(null); // S3 already lists in UTF-8 byte order; this makes the contract's order certain
        return keys;
    }

    /** Sizes come with the listing: one request per thousand objects, not one per object. */
    @Override
    public java.util.SortedMap<String, Long> listSizes(String prefix) {
        java.util.SortedMap<String, Long> sizes = new java.util.TreeMap<>();
        try {
            ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(keyPrefix + prefix).build();
            for (S3Object object : client.listObjectsV2Paginator(request).contents()) {
                String key = object.key().substring(keyPrefix.length());
                if (!key.isEmpty() && !key.endsWith("/")) {
                    sizes.put(key, object.size() == null ? 0 : object.size());
                }
            }
        } catch (SdkException e) {
            throw errors.translate("list", prefix, e);
        }
        return sizes;
    }

    /**
     * One listing gives each object's storage class; only objects in an archive class are then
     * asked (HEAD) whether a finished thaw made them readable.
     */
    @Override
    public Set<String> listArchived(String prefix) {
        Set<String> archived = new java.util.TreeSet<>();
        try {
            ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(keyPrefix + prefix).build();
            for (S3Object object : client.listObjectsV2Paginator(request).contents()) {
                if (object.storageClassAsString() != null && ARCHIVE_CLASSES.contains(object.storageClassAsString())) {
                    String key = object.key().substring(keyPrefix.length());
                    boolean thawed = head(key).map(HeadObjectResponse::restore)
                            .map(r -> r.contains("ongoing-request=\"false\"")).orElse(false);
                    if (!thawed) {
                        archived.add(key);
                    }
                }
            }
        } catch (SdkException e) {
            throw errors.translate("list", prefix, e);
        }
        return archived;
    }

    // ---- deletes and retention

    @Override
    public void delete(String key) {
        refuseIfLocked(key);
        try {
            client.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(objectKey(key)).build());
        } catch (S3Exception e) {
            if (!S3Errors.isNotFound(e)) {
                throw errors.translate("delete", key, e);
            }
        } catch (SdkException e) {
            throw errors.translate("delete", key, e);
        }
    }

    /**
     * Cellar's own guard, whatever the server enforces (some S3 servers enforce no Object Lock),
     * judged by the server's clock: on a versioned bucket a delete the server lets through would
     * only hide a locked version behind a delete marker.
     */
    private void refuseIfLocked(String key) {
        if (!supportsRetention()) {
            return;
        }
        Optional<Retention> retention = retention(key);
        if (retention.isPresent() && retention.get().activeAt(lockTime(clock))) {
            throw new ObjectLockedException(key, retention.get(), describe());
        }
    }

    /** Whether the bucket keeps old versions: a delete then only adds a delete marker, and the bytes stay. */
    @Override
    public boolean versioned() {
        return versions.versioned(supportsRetention());
    }

    /**
     * Objects under {@code prefix} whose newest version is a delete marker over an intact
     * version, each with that version's lock: one listing of the versions, then one request per
     * hidden object.
     */
    @Override
    public List<HiddenObject> listBehindDeleteMarkers(String prefix) {
        if (!versioned()) {
            return List.of();
        }
        List<HiddenObject> hidden = new ArrayList<>();
        versions.history(keyPrefix + prefix, prefix).forEach((objectKey, history) -> {
            Optional<BucketVersions.Version> under = history.stream().filter(v -> !v.deleteMarker()).findFirst();
            String key = objectKey.substring(keyPrefix.length());
            if (history.get(0).deleteMarker() && under.isPresent() && !key.endsWith("/")) {
                hidden.add(new HiddenObject(key, under.get().versionId(), HiddenObject.Kind.BEHIND_DELETE_MARKER,
                        history.get(0).lastModified(), versions.retention(objectKey, under.get().versionId(), key).orElse(null)));
            }
        });
        return hidden;
    }

    @Override
    public List<HiddenObject> hiddenObjectsRead() {
        return List.copyOf(new java.util.TreeMap<>(hiddenReads).values());
    }

    @Override
    public <T> T readVersion(String key, String versionId, Function<byte[], T> decode) {
        return decode.apply(versions.get(objectKey(key), versionId, key));
    }

    /**
     * Makes {@code versionId} the object's newest version again: its bytes written as a new
     * version, under its lock if that still runs. A new version never touches the old ones (the
     * delete marker or foreign version stays below, as the bucket's history).
     */
    @Override
    public void restoreVersion(String key, String versionId) {
        byte[] data = versions.get(objectKey(key), versionId, key);
        Retention lock = versions.retention(objectKey(key), versionId, key).filter(r -> r.activeAt(lockTime(clock))).orElse(null);
        try {
            write(uploadOf(key, data, lock, false));
        } catch (SdkException e) {
            throw errors.translate("write", key, e);
        }
        hiddenReads.remove(key);
    }

    /** The server's time, from the Date header of its latest answer. */
    @Override
    public Optional<java.time.Instant> serverTime() {
        return serverDates.now();
    }

    /** Whether the bucket has Object Lock enabled (asked once, then remembered). */
    @Override
    public boolean supportsRetention() {
        Boolean known = objectLock;
        if (known == null) {
            try {
                GetObjectLockConfigurationResponse response = client.getObjectLockConfiguration(b -> b.bucket(bucket));
                known = response.objectLockConfiguration() != null
                        && response.objectLockConfiguration().objectLockEnabled() == ObjectLockEnabled.ENABLED;
            } catch (S3Exception e) {
                if (e.statusCode() != 404 && e.statusCode() != 501 && e.statusCode() != 400 && e.statusCode() != 403) {
                    throw errors.translate("read the Object Lock configuration of", "", e);
                }
                // ObjectLockConfigurationNotFoundError, a server without Object Lock, or a key without
                // s3:GetBucketObjectLockConfiguration (then a locked bucket still enforces its locks itself)
                known = false;
            } catch (SdkException e) {
                throw errors.translate("read the Object Lock configuration of", "", e);
            }
            objectLock = known;
        }
        return known;
    }

    @Override
    public boolean putIfAbsentRetained(String key, byte[] data, Retention retention) {
        requireObjectLock();
        if (!create(key, data, retention)) {
            extendRetention(key, retention);
            return false;
        }
        // some servers drop lock headers on PUT (S3Mock does): make sure the object really is retained
        extendRetention(key, retention);
        return true;
    }

    /** The retention of the version this storage reads: the intact one under a hidden object, else the newest. */
    @Override
    public Optional<Retention> retention(String key) {
        if (!supportsRetention()) {
            return Optional.empty();
        }
        HiddenObject hidden = hiddenReads.get(key);
        if (hidden != null) {
            return versions.retention(objectKey(key), hidden.versionId(), key);
        }
        try {
            GetObjectRetentionResponse response = client.getObjectRetention(b -> b.bucket(bucket).key(objectKey(key)));
            ObjectLockRetention retention = response.retention();
            if (retention == null || retention.mode() == null || retention.retainUntilDate() == null) {
                return Optional.empty();
            }
            return Optional.of(new Retention(Retention.Mode.valueOf(retention.modeAsString()), retention.retainUntilDate()));
        } catch (S3Exception e) {
            // 405: the newest version is a delete marker, which has no retention
            if (e.statusCode() == 404 || e.statusCode() == 405 || S3Errors.code(e).equals("NoSuchObjectLockConfiguration")) {
                return Optional.empty();
            }
            throw errors.translate("read the retention of", key, e);
        } catch (SdkException e) {
            throw errors.translate("read the retention of", key, e);
        }
    }

    @Override
    public void extendRetention(String key, Retention retention) {
        requireObjectLock();
        Optional<Retention> current = retention(key);
        Retention target = current.map(c -> c.atLeast(retention)).orElse(retention);
        if (current.isPresent() && current.get().equals(target)) {
            return; // already retained at least that long: never shorten
        }
        try {
            client.putObjectRetention(b -> b.bucket(bucket).key(objectKey(key)).retention(ObjectLockRetention.builder()
                    .mode(ObjectLockRetentionMode.fromValue(target.mode().name())).retainUntilDate(target.retainUntil()).build()));
        } catch (S3Exception e) {
            if (S3Errors.isNotFound(e)) {
                throw new NoSuchObjectException(key, describe());
            }
            throw errors.translate("set the retention of", key, e);
        } catch (SdkException e) {
            throw errors.translate("set the retention of", key, e);
        }
    }

    private void requireObjectLock() {
        if (!supportsRetention()) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "bucket " + bucket + " at " + errors.endpoint() + " does not have Object Lock enabled",
                    "WORM retention needs a bucket with Object Lock enabled (set when the bucket is created, or enabled together with versioning),"
                            + " and a key allowed s3:GetBucketObjectLockConfiguration");
        }
    }

    @Override
    public boolean requestThaw(String key, Duration keepFor) {
        HeadObjectResponse head = head(key).orElseThrow(() -> new NoSuchObjectException(key, describe()));
        String storageClass = head.storageClassAsString();
        if (storageClass == null || !ARCHIVE_CLASSES.contains(storageClass)) {
            return false;
        }
        if (head.restore() != null && head.restore().contains("ongoing-request=\"false\"")) {
            return false; // already thawed
        }
        int days = (int) Math.max(1, (keepFor.toHours() + 23) / 24);
        try {
            client.restoreObject(b -> b.bucket(bucket).key(objectKey(key)).restoreRequest(RestoreRequest.builder().days(days)
                    .glacierJobParameters(GlacierJobParameters.builder().tier(Tier.STANDARD).build()).build()));
            return true;
        } catch (S3Exception e) {
            if (S3Errors.code(e).equals("RestoreAlreadyInProgress")) {
                return true;
            }
            throw errors.translate("request a thaw of", key, e);
        } catch (SdkException e) {
            throw errors.translate("request a thaw of", key, e);
        }
    }

    // ---- bucket lifecycle, for `cellar cloud lifecycle`

    /** Replaces the bucket's lifecycle rules with {@code configuration}. */
    public void putBucketLifecycle(BucketLifecycleConfiguration configuration) {
        try {
            client.putBucketLifecycleConfiguration(b -> b.bucket(bucket).lifecycleConfiguration(configuration));
        } catch (SdkException e) {
            throw errors.translate("set the lifecycle rules of", "", e);
        }
    }

    /** The bucket's lifecycle rules, empty when it has none. */
    public Optional<BucketLifecycleConfiguration> bucketLifecycle() {
        try {
            GetBucketLifecycleConfigurationResponse response = client.getBucketLifecycleConfiguration(b -> b.bucket(bucket));
            return Optional.of(BucketLifecycleConfiguration.builder().rules(response.rules()).build());
        } catch (S3Exception e) {
            if (S3Errors.code(e).equals("NoSuchLifecycleConfiguration")) {
                return Optional.empty();
            }
            throw errors.translate("read the lifecycle rules of", "", e);
        } catch (SdkException e) {
            throw errors.translate("read the lifecycle rules of", "", e);
        }
    }

    /** Stops the multipart upload threads and closes the SDK client with its connection pool; a second call does nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            partPool.shutdownNow();
            client.close();
        }
    }

    private String objectKey(String key) {
        if (key.startsWith("/") || key.contains("//") || key.equals("..") || key.startsWith("../") || key.contains("/../")) {
            throw new IllegalArgumentException("not a repository key: " + key);
        }
        return keyPrefix + key;
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
