package dev.cellar.pg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.config.DatabaseTls;
import dev.cellar.config.TlsMinVersion;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the TLS settings reach pgjdbc (properties) and libpq programs (environment, never arguments). */
class PgConnectionSpecTlsTest {
    @TempDir
    Path dir;

    private PgConnectionSpec verifyFull() throws Exception {
        Path ca = java.nio.file.Files.writeString(dir.resolve("ca.crt"), "not parsed here");
        Path cert = java.nio.file.Files.writeString(dir.resolve("client.crt"), "x");
        Path key = java.nio.file.Files.writeString(dir.resolve("client.key"), "x");
        return new PgConnectionSpec("db.example.com", 5432, "backup", "shop", "s3cret".toCharArray(),
                new DatabaseTls(DatabaseTls.SslMode.VERIFY_FULL, ca, cert, key, TlsMinVersion.TLS_1_3));
    }

    @Test
    void libpqProgramsGetTheTlsSettingsInTheirEnvironmentOnly() throws Exception {
        PgConnectionSpec spec = verifyFull();
        Map<String, String> env = spec.libpqEnvironment();
        assertThat(env).containsEntry("PGSSLMODE", "verify-full")
                .containsEntry("PGSSLROOTCERT", dir.resolve("ca.crt").toString())
                .containsEntry("PGSSLCERT", dir.resolve("client.crt").toString())
                .containsEntry("PGSSLKEY", dir.resolve("client.key").toString())
                .containsEntry("PGSSLMINPROTOCOLVERSION", "TLSv1.3");
        assertThat(String.join(" ", spec.libpqArguments())).doesNotContain("ssl").doesNotContain(dir.toString());
    }

    @Test
    void withoutTlsSettingsLibpqKeepsItsDefaults() {
        PgConnectionSpec spec = new PgConnectionSpec("127.0.0.1", 5432, "postgres", "postgres", null);
        assertThat(spec.tls()).isEqualTo(DatabaseTls.DEFAULT);
        assertThat(spec.libpqEnvironment()).containsEntry("PGSSLMODE", "prefer").containsEntry("PGSSLMINPROTOCOLVERSION", "TLSv1.2")
                .doesNotContainKeys("PGSSLROOTCERT", "PGSSLCERT", "PGSSLKEY");
        assertThat(spec.withDatabase("other").tls()).isEqualTo(DatabaseTls.DEFAULT);
    }

    @Test
    void pgjdbcGetsTheSameSettingsAndTheMinimumThroughItsSocketFactory() throws Exception {
        PgConnectionSpec spec = verifyFull();
        assertThat(spec.withDatabase("other").tls()).isEqualTo(spec.tls());
        Properties properties = spec.jdbcProperties();
        assertThat(properties.getProperty("sslmode")).isEqualTo("verify-full");
        assertThat(properties.getProperty("sslrootcert")).isEqualTo(dir.resolve("ca.crt").toString());
        assertThat(properties.getProperty("sslcert")).isEqualTo(dir.resolve("client.crt").toString());
        assertThat(properties.getProperty("sslkey")).isEqualTo(dir.resolve("client.key").toString());
        assertThat(properties.getProperty("sslfactory")).isEqualTo(MinTlsVersionSocketFactory.class.getName());
        assertThat(properties.getProperty(MinTlsVersionSocketFactory.MIN_VERSION_PROPERTY)).isEqualTo("TLSv1.3");
    }

    @Test
    void theSocketFactoryEnablesOnlyTheProtocolsAtOrAboveTheMinimum() throws Exception {
        Properties properties = new Properties();
        properties.setProperty("sslmode", "require");
        properties.setProperty(MinTlsVersionSocketFactory.MIN_VERSION_PROPERTY, "TLSv1.3");
        assertThat(enabledProtocols(new MinTlsVersionSocketFactory(properties))).containsExactly("TLSv1.3");
        properties.setProperty(MinTlsVersionSocketFactory.MIN_VERSION_PROPERTY, "TLSv1.2");
        assertThat(enabledProtocols(new MinTlsVersionSocketFactory(properties))).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
    }

    /** What a socket layered as pgjdbc layers it (over a connected plain socket) would offer; no handshake happens. */
    private static java.util.List<String> enabledProtocols(MinTlsVersionSocketFactory factory) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket plain = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
             SSLSocket socket = (SSLSocket) factory.createSocket(plain, "127.0.0.1", listener.getLocalPort(), true)) {
            return Arrays.asList(socket.getEnabledProtocols());
        }
    }

    @Test
    void aMissingFileIsRefusedBeforeConnecting() {
        PgConnectionSpec spec = new PgConnectionSpec("127.0.0.1", 1, "postgres", "postgres", null,
                new DatabaseTls(DatabaseTls.SslMode.VERIFY_CA, dir.resolve("missing-ca.crt"), null, null, TlsMinVersion.TLS_1_2));
        org.assertj.core.api.Assertions.assertThatThrownBy(spec::connect)
                .hasMessageContaining("database.sslrootcert").hasMessageContaining("missing-ca.crt");
    }
}
