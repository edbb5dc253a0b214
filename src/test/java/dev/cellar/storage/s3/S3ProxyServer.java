package dev.cellar.storage.s3;

import dev.cellar.it.TestFolders;
import dev.cellar.config.S3Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * S3Proxy embedded in the test JVM on a free loopback port, storing objects in a temporary
 * folder. It rejects the AWS SDK's default checksum headers, so Cellar talks to it with
 * checksum-mode when-required; it has no Object Lock.
 */
public final class S3ProxyServer implements TestS3Server {
    private static final String ACCESS_KEY = "cellar-access";
    private static final String SECRET_KEY = dev.cellar.secrets.KnownSecrets.register("cellar-secret-key-for-tests");

    private final S3Proxy proxy;
    private final BlobStore store;
    private final Path folder;

    private S3ProxyServer(S3Proxy proxy, BlobStore store, Path folder) {
        this.proxy = proxy;
        this.store = store;
        this.folder = folder;
    }

    public static S3ProxyServer start() {
        Path folder;
        try {
            folder = TestFolders.create("cellar-s3proxy-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BlobStore store = new FilesystemNio2BlobStore(folder.toString());
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        try {
            proxy.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!proxy.getState().equals("STARTED")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start within 30 s: " + proxy.getState());
                }
                Thread.sleep(10);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot start S3Proxy", e);
        }
        return new S3ProxyServer(proxy, store, folder);
    }

    @Override
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    @Override
    public String accessKey() {
        return ACCESS_KEY;
    }

    @Override
    public String secretKey() {
        return SECRET_KEY;
    }

    @Override
    public S3Config.ChecksumMode checksumMode() {
        return S3Config.ChecksumMode.WHEN_REQUIRED;
    }

    @Override
    public String createBucket() {
        String name = TestS3Server.freshBucketName();
        store.createContainer(name);
        return name;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop S3Proxy", e);
        } finally {
            deleteTree(folder);
        }
    }

    static void deleteTree(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary folder is not worth failing a test for
        }
    }
}
