package dev.cellar.storage.s3;

import dev.cellar.config.S3Config;
import java.util.Map;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Builds the one SDK client of an {@link S3Storage} from its configuration. */
final class S3ClientFactory {
    private S3ClientFactory() {
    }

    static S3Client create(S3Config config, Map<String, String> env, S3Timeouts timeouts, S3RetryPolicy retries, ServerDates serverDates) {
        ApacheHttpClient.Builder http = ApacheHttpClient.builder()
                .connectionTimeout(timeouts.connect())
                .socketTimeout(timeouts.socketRead())
                // a backup's chunk writes, plus every part of the objects being uploaded in parts beside them
                .maxConnections(Math.max(50, config.maxConcurrency() + config.uploadThreads() * 4));
        // the socket factory carries the trust too: the SDK ignores tlsTrustManagersProvider once one is set
        http.socketFactory(S3TlsSockets.factory(config.tlsMinVersion(),
                config.caBundle() == null ? null : CaBundleTrust.load(config.caBundle()).trustManagers()));
        ClientOverrideConfiguration.Builder overrides = ClientOverrideConfiguration.builder()
                .retryStrategy(retries.sdkStrategy())
                .apiCallAttemptTimeout(timeouts.attempt())
                .addExecutionInterceptor(serverDates);
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(S3Credentials.provider(config, env))
                .forcePathStyle(config.pathStyle())
                .httpClientBuilder(http);
        if (config.endpoint() != null) {
            builder.endpointOverride(config.endpoint());
        }
        if (config.checksumMode() == S3Config.ChecksumMode.WHEN_REQUIRED) {
            // servers that reject the SDK's default CRC headers; Cellar sends Content-MD5 itself
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
            overrides.addExecutionInterceptor(new MultipartObjectSizeRemover());
        }
        return builder.overrideConfiguration(overrides.build()).build();
    }
}
