package dev.cellar.it;

import dev.cellar.storage.Storage;
import dev.cellar.storage.s3.S3ProxyServer;
import dev.cellar.storage.s3.S3Storage;
import dev.cellar.storage.s3.TestS3Server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Repositories in one bucket of an S3Proxy server the test class starts, one prefix per test
 * folder. Cellar child processes (including archive_command, which runs as the server's user
 * without the test's environment) find the keys in a credentials file in the test folder.
 */
public final class S3Placement implements RepositoryPlacement {
    /** One server for every S3 test class of the run (started on first use, stopped with the JVM). */
    private static TestS3Server shared;

    private final TestS3Server server;
    private final String bucket;

    private S3Placement(TestS3Server server, String bucket) {
        this.server = server;
        this.bucket = bucket;
    }

    /** A fresh bucket on the run's S3Proxy server (started on loopback on first use). */
    public static synchronized S3Placement onS3Proxy() {
        if (shared == null) {
            TestS3Server server = S3ProxyServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "s3proxy-stop"));
            shared = server;
        }
        return new S3Placement(shared, shared.createBucket());
    }

    @Override
    public String location(Path home) {
        return "s3://" + bucket + "/" + prefix(home);
    }

    @Override
    public String extraYaml(Path home) {
        Path credentials = home.resolve("aws-credentials");
        try {
            Files.writeString(credentials, "[default]\naws_access_key_id = " + server.accessKey()
                    + "\naws_secret_access_key = " + server.secretKey() + "\n");
            Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "s3:\n  endpoint: " + server.endpoint() + "\n  checksum-mode: "
                + server.checksumMode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                + "\n  credentials-file: " + credentials + "\n";
    }

    @Override
    public Storage open(Path home) {
        return S3Storage.open(server.config(bucket, prefix(home)), server.env());
    }

    private static String prefix(Path home) {
        return home.getFileName() + "/";
    }

    /** Where the S3 server answers: for a test that puts a proxy in front of it. */
    public java.net.URI endpoint() {
        return server.endpoint();
    }

    @Override
    public String toString() {
        return "S3Proxy bucket " + bucket;
    }
}
