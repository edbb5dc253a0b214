package dev.cellar.storage.s3;

import dev.cellar.it.TestFolders;
import dev.cellar.config.S3Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Adobe S3Mock run from its executable jar as a child process on a free loopback port: an S3
 * server that accepts the SDK's default checksums and stores (without enforcing) Object Lock
 * retention. The jar comes from the {@code s3mock.jar} system property, which the build sets.
 */
public final class S3MockServer implements TestS3Server {
    private static final String VERSION = "4.11.0";

    private final Process process;
    private final int port;
    private final Path folder;

    private S3MockServer(Process process, int port, Path folder) {
        this.process = process;
        this.port = port;
        this.folder = folder;
    }

    public static S3MockServer start() {
        Path jar = jar();
        try {
            Path folder = TestFolders.create("cellar-s3mock-");
            int port = freePort();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // S3Mock leaves a temporary file per upload behind: keep them in its folder, removed with it
            Path scratch = Files.createDirectories(folder.resolve("tmp"));
            Process process = new ProcessBuilder(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx512m",
                    "-Djava.io.tmpdir=" + scratch, "-jar", jar.toString(),
                    "--server.port=0", // S3Mock's HTTPS port: not used
                    "--com.adobe.testing.s3mock.httpPort=" + port,
                    "--com.adobe.testing.s3mock.store.root=" + folder.resolve("store"),
                    "--spring.main.banner-mode=off", "--logging.level.root=WARN"))
                    .redirectErrorStream(true)
                    .redirectOutput(folder.resolve("s3mock.log").toFile())
                    .start();
            S3MockServer server = new S3MockServer(process, port, folder);
            server.awaitReady(folder.resolve("s3mock.log"));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start S3Mock from " + jar, e);
        }
    }

    private static Path jar() {
        String property = System.getProperty("s3mock.jar");
        Path jar = property != null ? Path.of(property)
                : Path.of(System.getProperty("user.home"), ".m2", "repository", "com", "adobe", "testing", "s3mock", VERSION,
                        "s3mock-" + VERSION + "-exec.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Mock jar not found at " + jar + "; run the tests through Maven (it copies it into target/s3mock)");
        }
        return jar;
    }

    private void awaitReady(Path log) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Mock exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) endpoint().toURL().openConnection();
                connection.setConnectTimeout(500);
                connection.setReadTimeout(2000);
                if (connection.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new IllegalStateException("S3Mock did not answer within 90 s:\n" + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public String accessKey() {
        return "s3mock-access"; // S3Mock accepts any credentials
    }

    @Override
    public String secretKey() {
        return "s3mock-secret";
    }

    @Override
    public S3Config.ChecksumMode checksumMode() {
        return S3Config.ChecksumMode.WHEN_SUPPORTED;
    }

    @Override
    public String createBucket() {
        String name = TestS3Server.freshBucketName();
        try (S3Client client = adminClient()) {
            client.createBucket(b -> b.bucket(name));
        }
        return name;
    }

    /** Creates a bucket with Object Lock enabled (and so versioning) and returns its name. */
    public String createLockedBucket() {
        String name = TestS3Server.freshBucketName();
        try (S3Client client = adminClient()) {
            client.createBucket(b -> b.bucket(name).objectLockEnabledForBucket(true));
        }
        return name;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        S3ProxyServer.deleteTree(folder);
    }
}
