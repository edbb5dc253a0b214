package dev.cellar.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database.* TLS keys, their libpq defaults, a databases: entry's own, and the checks made before connecting. */
class DatabaseTlsConfigTest {
    @TempDir
    Path dir;

    private CellarConfig load(String content, Map<String, String> env) throws IOException {
        return ConfigLoader.load(Files.writeString(dir.resolve("cellar.yaml"), content), env, Map.of());
    }

    @Test
    void withoutTlsKeysTheDefaultsAreLibpqs() throws IOException {
        DatabaseTls tls = load("database:\n  name: shop\n", Map.of()).database().tls();
        assertThat(tls).isEqualTo(DatabaseTls.DEFAULT);
        assertThat(tls.mode().libpq()).isEqualTo("prefer");
        assertThat(tls.minVersion()).isEqualTo(TlsMinVersion.TLS_1_2);
        assertThat(tls.rootCert()).isNull();
    }

    @Test
    void theKeysAreReadFromTheFileAndTheEnvironment() throws IOException {
        DatabaseTls tls = load("""
                database:
                  name: shop
                  sslmode: verify-full
                  sslrootcert: /etc/cellar/ca.crt
                  sslcert: /etc/cellar/client.crt
                  sslkey: /etc/cellar/client.key
                  tls-min-version: "1.3"
                """, Map.of()).database().tls();
        assertThat(tls).isEqualTo(new DatabaseTls(DatabaseTls.SslMode.VERIFY_FULL, Path.of("/etc/cellar/ca.crt"),
                Path.of("/etc/cellar/client.crt"), Path.of("/etc/cellar/client.key"), TlsMinVersion.TLS_1_3));
        DatabaseTls fromEnv = load("database:\n  name: shop\n", Map.of("CELLAR_DATABASE_SSLMODE", "require",
                "PGSSLROOTCERT", "/ca.pem", "CELLAR_DATABASE_TLS_MIN_VERSION", "TLSv1.3")).database().tls();
        assertThat(fromEnv.mode()).isEqualTo(DatabaseTls.SslMode.REQUIRE);
        assertThat(fromEnv.rootCert()).isEqualTo(Path.of("/ca.pem"));
        assertThat(fromEnv.minVersion()).isEqualTo(TlsMinVersion.TLS_1_3);
        assertThat(load("database:\n  name: shop\n", Map.of("PGSSLMODE", "disable")).database().tls().mode())
                .isEqualTo(DatabaseTls.SslMode.DISABLE);
    }

    @Test
    void aDatabasesEntryHasItsOwnTlsKeys() throws IOException {
        CellarConfig config = load("""
                database:
                  sslmode: require
                databases:
                  shop:
                    sslmode: verify-ca
                    sslrootcert: /shop-ca.crt
                  books: {}
                """, Map.of());
        Map<String, DatabaseTls> byName = new java.util.TreeMap<>();
        config.scheduledDatabases().forEach(db -> byName.put(db.name(), db.connection().tls()));
        assertThat(byName.get("shop").mode()).isEqualTo(DatabaseTls.SslMode.VERIFY_CA);
        assertThat(byName.get("shop").rootCert()).isEqualTo(Path.of("/shop-ca.crt"));
        assertThat(byName.get("books").mode()).isEqualTo(DatabaseTls.SslMode.REQUIRE);
    }

    @Test
    void badValuesNameTheKeyAndTheChoices() {
        assertThatThrownBy(() -> load("database:\n  sslmode: verify\n", Map.of()))
                .isInstanceOf(CellarException.class)
                .hasMessageContaining("database.sslmode").hasMessageContaining("verify-full").hasMessageContaining("'verify'");
        assertThatThrownBy(() -> load("database:\n  tls-min-version: \"1.1\"\n", Map.of()))
                .isInstanceOf(CellarException.class)
                .hasMessageContaining("database.tls-min-version must be 1.2 or 1.3, got '1.1'");
        assertThatThrownBy(() -> load("repository:\n  path: s3://bucket/prefix\ns3:\n  tls-min-version: \"1.0\"\n", Map.of()))
                .hasMessageContaining("s3.tls-min-version");
    }

    @Test
    void anUnreadableFileIsRefusedNamingItsKey() {
        DatabaseTls tls = new DatabaseTls(DatabaseTls.SslMode.REQUIRE, Path.of("/ca.crt"), Path.of("/client.crt"), Path.of("/client.key"),
                TlsMinVersion.TLS_1_2);
        Set<Path> readable = Set.of(Path.of("/ca.crt"), Path.of("/client.crt"));
        List<CellarException> problems = tls.problems(readable::contains, Path.of("/home/dba"));
        assertThat(problems).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
            assertThat(e.getMessage()).contains("database.sslkey").contains("/client.key");
        });
        assertThat(tls.problems(p -> true, Path.of("/home/dba"))).isEmpty();
    }

    @Test
    void verifyFullWithoutAnyRootCertificateSaysWhatToSet() {
        DatabaseTls tls = new DatabaseTls(DatabaseTls.SslMode.VERIFY_FULL, null, null, null, TlsMinVersion.TLS_1_3);
        Path home = Path.of("dba-home");
        List<CellarException> problems = tls.problems(p -> false, home);
        assertThat(problems).singleElement().satisfies(e -> {
            assertThat(e.getMessage()).contains("verify-full").contains(home.resolve(".postgresql/root.crt").toString());
            assertThat(e.hint()).contains("database.sslrootcert");
        });
        // libpq's own default file counts: no error when it is there
        assertThat(tls.problems(p -> p.equals(home.resolve(".postgresql/root.crt")), home)).isEmpty();
        // modes that do not check the server need no root certificate
        assertThat(new DatabaseTls(DatabaseTls.SslMode.REQUIRE, null, null, null, TlsMinVersion.TLS_1_2).problems(p -> false, Path.of("/h")))
                .isEmpty();
    }

    @Test
    void s3AndAlertsHaveTheirOwnMinimum() throws IOException {
        CellarConfig config = load("""
                repository:
                  path: s3://bucket/prefix
                s3:
                  tls-min-version: "1.3"
                alerts:
                  tls-min-version: "1.3"
                  smtp-host: mail.example.com
                  email-from: cellar@example.com
                  email-to: dba@example.com
                  webhook-url: https://hooks.example.com/x
                  webhook-format: slack
                """, Map.of());
        assertThat(config.requireRepositories().get(0).s3().tlsMinVersion()).isEqualTo(TlsMinVersion.TLS_1_3);
        assertThat(config.alerts().smtp().tlsMinVersion()).isEqualTo(TlsMinVersion.TLS_1_3);
        assertThat(config.alerts().webhook().tlsMinVersion()).isEqualTo(TlsMinVersion.TLS_1_3);
        assertThat(load("repository:\n  path: s3://bucket/prefix\n", Map.of()).requireRepositories().get(0).s3().tlsMinVersion())
                .isEqualTo(TlsMinVersion.TLS_1_2);
    }
}
