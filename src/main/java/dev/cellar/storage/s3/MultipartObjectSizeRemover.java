package dev.cellar.storage.s3;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;

/**
 * Drops the {@code x-amz-mp-object-size} header from CompleteMultipartUpload: servers that
 * predate it (S3Proxy among them) answer 501 to a header they do not know, and S3 does not need it.
 */
final class MultipartObjectSizeRemover implements ExecutionInterceptor {
    static final String HEADER = "x-amz-mp-object-size";

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes executionAttributes) {
        if (context.request() instanceof CompleteMultipartUploadRequest && context.httpRequest().firstMatchingHeader(HEADER).isPresent()) {
            return context.httpRequest().toBuilder().removeHeader(HEADER).build();
        }
        return context.httpRequest();
    }
}
