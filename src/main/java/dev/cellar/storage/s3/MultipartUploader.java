package dev.cellar.storage.s3;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Uploads an object larger than one part as a multipart upload, its parts in parallel. The
 * object appears only when the upload completes, so a reader never sees part of it; an upload
 * that fails is aborted, so no pending upload (and its storage bill) is left behind.
 */
final class MultipartUploader {
    private final S3Client client;
    private final String bucket;
    private final ExecutorService pool;
    private final int partSize;
    private final boolean sendMd5;

    MultipartUploader(S3Client client, String bucket, ExecutorService pool, int partSize, boolean sendMd5) {
        this.client = client;
        this.bucket = bucket;
        this.pool = pool;
        this.partSize = partSize;
        this.sendMd5 = sendMd5;
    }

    /** Uploads the object; SDK errors are thrown as they are, after the upload has been aborted. */
    void upload(Upload upload) {
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(bucket).key(upload.objectKey());
        if (upload.storageClass() != null) {
            create.storageClass(upload.storageClass());
        }
        if (upload.retention() != null) {
            create.objectLockMode(ObjectLockMode.fromValue(upload.retention().mode().name()))
                    .objectLockRetainUntilDate(upload.retention().retainUntil());
        }
        String uploadId = client.createMultipartUpload(create.build()).uploadId();
        try {
            List<CompletedPart> parts = uploadParts(upload, uploadId);
            CompleteMultipartUploadRequest.Builder complete = CompleteMultipartUploadRequest.builder()
                    .bucket(bucket).key(upload.objectKey()).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build());
            if (upload.onlyIfAbsent()) {
                complete.ifNoneMatch("*");
            }
            client.completeMultipartUpload(complete.build());
        } catch (RuntimeException | Error e) {
            abortQuietly(upload.objectKey(), uploadId, e);
            throw e;
        }
    }

    private List<CompletedPart> uploadParts(Upload upload, String uploadId) {
        byte[] data = upload.data();
        int count = (int) ((data.length + (long) partSize - 1) / partSize);
        AtomicBoolean failed = new AtomicBoolean();
        List<Future<CompletedPart>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int number = i + 1;
            int offset = i * partSize;
            int length = Math.min(partSize, data.length - offset);
            futures.add(pool.submit(() -> {
                if (failed.get()) {
                    throw new CancellationException("an earlier part failed");
                }
                try {
                    return uploadPart(upload, uploadId, number, offset, length);
                } catch (RuntimeException e) {
                    failed.set(true);
                    throw e;
                }
            }));
        }
        // Wait for every part, even after a failure: an abort while parts are in flight can leave parts behind.
        List<CompletedPart> parts = new ArrayList<>(count);
        RuntimeException first = null;
        for (Future<CompletedPart> future : futures) {
            try {
                parts.add(future.get());
            } catch (ExecutionException e) {
                if (first == null && !(e.getCause() instanceof CancellationException)) {
                    first = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.set(true);
                if (first == null) {
                    first = new CellarException(ErrorCode.INTERRUPTED, "interrupted while uploading " + upload.key());
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return parts;
    }

    private CompletedPart uploadPart(Upload upload, String uploadId, int number, int offset, int length) {
        byte[] data = upload.data();
        Md5 md5 = Md5.of(data, offset, length);
        UploadPartRequest.Builder request = UploadPartRequest.builder().bucket(bucket).key(upload.objectKey())
                .uploadId(uploadId).partNumber(number).contentLength((long) length);
        if (sendMd5) {
            request.contentMD5(md5.base64());
        }
        UploadPartResponse response = client.uploadPart(request.build(),
                RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, offset, length), length, "application/octet-stream"));
        if (md5.contradictedBy(response.eTag(), response.serverSideEncryptionAsString())) {
            throw new DamagedUploadException("part " + number + " stored with ETag " + response.eTag() + " but its MD5 is " + md5.hex());
        }
        return CompletedPart.builder().partNumber(number).eTag(response.eTag())
                .checksumCRC32(response.checksumCRC32()).checksumCRC32C(response.checksumCRC32C())
                .checksumCRC64NVME(response.checksumCRC64NVME())
                .checksumSHA1(response.checksumSHA1()).checksumSHA256(response.checksumSHA256()).build();
    }

    private void abortQuietly(String objectKey, String uploadId, Throwable failure) {
        try {
            client.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(bucket).key(objectKey).uploadId(uploadId).build());
        } catch (SdkException e) {
            failure.addSuppressed(e);
        }
    }

    /** The server stored something other than what was sent; the caller retries the upload. */
    static final class DamagedUploadException extends RuntimeException {
        DamagedUploadException(String message) {
            super(message);
        }
    }
}
