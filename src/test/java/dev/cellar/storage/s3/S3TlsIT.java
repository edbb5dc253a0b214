package dev.cellar.storage.s3;

import dev.cellar.config.S3Config;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HTTPS to an S3 server whose certificate comes from a private CA: trusted with ca-bundle,
 * refused without it.
 */
class S3TlsIT {
    @TempDir
    static Path folder;
    private static S3Proxy proxy;
    private static Path caPem;
    private static final String BUCKET = "tls-bucket";

    @BeforeAll
    static void startHttpsServer() throws Exception {
        Path keystore = folder.resolve("server.p12");
        caPem = folder.resolve("ca.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", "s3", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=cellar test CA",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit"));
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", "s3", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", caPem.toString()));
        FilesystemNio2BlobStore store = new FilesystemNio2BlobStore(Files.createDirectories(folder.resolve("blobs")).toString());
        store.createContainer(BUCKET);
        proxy = S3Proxy.builder().blobStore(store).secureEndpoint(URI.create("https://127.0.0.1:0"))
                .keyStore(keystore.toString(), "changeit")
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "tls-access", "tls-secret").build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.sleep(10);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.stop();
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    private static S3Config config(Path caBundle) {
        return new S3Config(BUCKET, "r/", URI.create("https://127.0.0.1:" + proxy.getSecurePort()), "us-east-1", true,
                S3Config.ChecksumMode.WHEN_REQUIRED, caBundle, "TLS_ID", "TLS_SECRET", null, null, "STANDARD", "STANDARD", 2, 5, 2);
    }

    private static S3Storage open(Path caBundle) {
        return S3Storage.open(config(caBundle), java.util.Map.of("TLS_ID", "tls-access", "TLS_SECRET", "tls-secret"),
                S3FaultInjectionIT.FAST, Clock.systemUTC());
    }

    @Test
    void aServerCertifiedByTheCaBundleIsTrusted() {
        try (S3Storage storage = open(caPem)) {
            storage.put("backups/x", "over tls".getBytes());
            assertThat(storage.get("backups/x")).isEqualTo("over tls".getBytes());
        }
    }

    @Test
    void withoutTheCaBundleThePrivateCertificateIsRefused() {
        try (S3Storage storage = open(null)) {
            assertThatThrownBy(() -> storage.get("backups/x"))
                    .isInstanceOf(CellarException.class)
                    .hasMessageContaining("https://127.0.0.1:" + proxy.getSecurePort())
                    .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE));
        }
    }

    @Test
    void anUnreadableCaBundleIsAConfigErrorNamingTheFile() throws Exception {
        Path notPem = Files.writeString(folder.resolve("not.pem"), "hello");
        assertThatThrownBy(() -> open(notPem))
                .isInstanceOf(CellarException.class)
                .hasMessageContaining(notPem.toString())
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.CONFIG_INVALID));
        assertThatThrownBy(() -> open(folder.resolve("missing.pem")))
                .isInstanceOf(CellarException.class)
                .hasMessageContaining("missing.pem");
    }
}
