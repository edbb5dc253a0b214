package dev.cellar.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cellar.config.HttpsConfig;
import dev.cellar.config.ListenAddress;
import dev.cellar.config.SecretName;
import dev.cellar.config.SecretSource;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.it.TestFolders;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * cellar server's HTTP server with a real certificate made by the JDK's keytool: HTTPS answers,
 * plain HTTP on the same port does not, and a keystore that cannot be used stops the start with
 * one CONFIG_INVALID message.
 */
class TlsIT {
    private static final String PASSWORD = dev.cellar.secrets.KnownSecrets.register("keystore-secret");

    private static Path folder;
    private static Path keystore;
    private static CellarHttpServer server;
    private static final List<String> log = new ArrayList<>();

    @BeforeAll
    static void startWithACertificate() throws Exception {
        folder = TestFolders.create("cellar-tls-it");
        keystore = keytool(folder.resolve("cellar.p12"), "-validity", "2");
        server = CellarHttpServer.serve(new ListenAddress("127.0.0.1", 0), https(keystore, passwordFile(PASSWORD)), Map.of(),
                Clock.systemUTC(), List.of(new HealthRoutes(List.of(() -> new HealthCheck("probe", true, "fine")))),
                List.of(routes -> routes.get("/api/hello", ctx -> ctx.result(CellarHttpServer.overHttps(ctx) ? "secure" : "plain"))),
                log::add);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void healthAndTheWebRoutesAnswerOverHttpsWithTheConfiguredCertificate() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(keystore)).connectTimeout(Duration.ofSeconds(5)).build();
        URI base = URI.create("https://127.0.0.1:" + server.address().port());

        HttpResponse<String> health = client.send(HttpRequest.newBuilder(base.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> web = client.send(HttpRequest.newBuilder(base.resolve("/api/hello")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(server.https()).isTrue();
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        assertThat(health.sslSession()).hasValueSatisfying(session -> assertThat(session.getProtocol()).isIn("TLSv1.2", "TLSv1.3"));
        assertThat(web.body()).as("the request knows it came over HTTPS, for the Secure cookie flag").isEqualTo("secure");
        assertThat(log).containsExactly("serving the dashboard and the REST API over HTTPS on 127.0.0.1:0");
    }

    @Test
    void plainHttpToTheSamePortGetsNoAnswer() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI plain = URI.create("http://127.0.0.1:" + server.address().port() + "/health");

        Throwable failure = catchThrowable(() -> {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("plain HTTP must not reach /health").isNotEqualTo(200);
            assertThat(answer.body()).doesNotContain("UP");
        });

        assertThat(failure == null || failure instanceof IOException).as("plain HTTP fails: " + failure).isTrue();
    }

    @Test
    void anExpiredCertificateStopsTheStartWithOneClearMessage() throws Exception {
        Path expired = keytool(folder.resolve("expired.p12"), "-startdate", "-10d", "-validity", "2");

        assertThatThrownBy(() -> CellarHttpServer.serve(new ListenAddress("127.0.0.1", 0), https(expired, passwordFile(PASSWORD)),
                Map.of(), Clock.systemUTC(), List.of(), List.of(), log::add))
                .isInstanceOfSatisfying(CellarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage()).contains(expired.toString()).contains("expired on");
                    assertThat(e.hint()).contains("renew");
                });
    }

    @Test
    void aCertificateNotYetValidOnThisHostsClockStopsTheStart() {
        Clock longAgo = Clock.fixed(Instant.parse("2001-01-01T00:00:00Z"), ZoneOffset.UTC);

        assertThatThrownBy(() -> CellarHttpServer.serve(new ListenAddress("127.0.0.1", 0), https(keystore, passwordFile(PASSWORD)),
                Map.of(), longAgo, List.of(), List.of(), log::add))
                .isInstanceOfSatisfying(CellarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage()).contains("is not valid before");
                    assertThat(e.hint()).contains("timedatectl");
                });
    }

    @Test
    void aWrongPasswordStopsTheStartWithOneClearMessage() {
        assertThatThrownBy(() -> CellarHttpServer.serve(new ListenAddress("127.0.0.1", 0),
                https(keystore, new SecretSource.FromEnv(SecretName.SERVER_TLS_KEYSTORE_PASSWORD, "TLS_PASSWORD")),
                Map.of("TLS_PASSWORD", "not-the-password"), Clock.systemUTC(), List.of(), List.of(), log::add))
                .isInstanceOfSatisfying(CellarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage()).isEqualTo("HTTPS keystore " + keystore + " does not open with the configured password");
                    assertThat(e.hint()).contains("server.tls.keystore-password-file");
                });
    }

    @Test
    void withoutACertificateOffLoopbackOnlyMonitoringIsServedAndTheLogSaysWhy() throws Exception {
        List<String> lines = new ArrayList<>();
        try (CellarHttpServer plain = CellarHttpServer.serve(new ListenAddress("0.0.0.0", 0), HttpsConfig.none(), Map.of(), Clock.systemUTC(),
                List.of(new HealthRoutes(List.of())), List.of(routes -> routes.get("/api/hello", ctx -> ctx.result("web"))), lines::add)) {
            HttpClient client = HttpClient.newHttpClient();
            URI base = URI.create("http://127.0.0.1:" + plain.address().port());

            assertThat(client.send(HttpRequest.newBuilder(base.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
            assertThat(client.send(HttpRequest.newBuilder(base.resolve("/api/hello")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(404);
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).startsWith("the dashboard and the REST API are off").contains("server.tls.keystore");
        }
    }

    private static HttpsConfig https(Path file, SecretSource password) {
        return new HttpsConfig(file, password, false);
    }

    private static SecretSource passwordFile(String password) throws IOException {
        Path file = folder.resolve("keystore-password-" + System.nanoTime());
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return new SecretSource.FromFile(SecretName.SERVER_TLS_KEYSTORE_PASSWORD, file);
    }

    /** A self-signed certificate for 127.0.0.1 and its key, made by the JDK's own keytool. */
    private static Path keytool(Path file, String... validity) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "cellar", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD));
        command.addAll(List.of(validity));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("keytool: " + output).isZero();
        return file;
    }

    private static SSLContext trusting(Path file) throws Exception {
        KeyStore source = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            source.load(in, PASSWORD.toCharArray());
        }
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("cellar", source.getCertificate("cellar"));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
