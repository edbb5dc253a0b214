package dev.cellar.config;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * How Cellar's connections to PostgreSQL use TLS: libpq's {@code sslmode} and certificate files,
 * and the lowest TLS version accepted. A file left unset means libpq's own default
 * ({@code ~/.postgresql/root.crt}, {@code postgresql.crt}, {@code postgresql.key}), so a host
 * whose {@code psql} already connects needs nothing here.
 *
 * @param mode       libpq's sslmode; {@link SslMode#PREFER} (libpq's default) when not configured
 * @param rootCert   CA certificates the server's certificate must chain to; null for libpq's default
 * @param cert       client certificate for {@code cert} authentication; null for libpq's default
 * @param key        the client certificate's key (PKCS#8 PEM, read by both libpq and pgjdbc); null for libpq's default
 * @param minVersion the lowest TLS version accepted
 */
public record DatabaseTls(SslMode mode, Path rootCert, Path cert, Path key, TlsMinVersion minVersion) {

    /** No TLS setting: libpq's defaults (sslmode=prefer) and TLS 1.2 at least. */
    public static final DatabaseTls DEFAULT = new DatabaseTls(SslMode.PREFER, null, null, null, TlsMinVersion.TLS_1_2);

    /** libpq's sslmode values, in increasing strictness. */
    public enum SslMode {
        DISABLE, ALLOW, PREFER, REQUIRE, VERIFY_CA, VERIFY_FULL;

        /** The spelling libpq and pgjdbc use: {@code verify-full}. */
        public String libpq() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Whether the server's certificate must chain to a trusted root. */
        public boolean verifiesServer() {
            return this == VERIFY_CA || this == VERIFY_FULL;
        }

        static List<String> names() {
            return java.util.Arrays.stream(values()).map(SslMode::libpq).toList();
        }

        static SslMode of(String libpq) {
            return valueOf(libpq.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    public DatabaseTls {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(minVersion, "minVersion");
    }

    /**
     * Why these settings cannot work on this host, before any connection is tried: a configured
     * file that cannot be read, or a verifying sslmode with no root certificate anywhere. Empty when
     * they can. A pure decision over what {@code readable} says of each file.
     *
     * @param home the user's home folder, where libpq looks for {@code .postgresql/root.crt}
     */
    public List<CellarException> problems(Predicate<Path> readable, Path home) {
        List<CellarException> problems = new ArrayList<>();
        checkFile(problems, rootCert, ConfigKey.DATABASE_SSLROOTCERT, readable);
        checkFile(problems, cert, ConfigKey.DATABASE_SSLCERT, readable);
        checkFile(problems, key, ConfigKey.DATABASE_SSLKEY, readable);
        if (mode.verifiesServer() && rootCert == null && (home == null || !readable.test(defaultRootCert(home)))) {
            problems.add(new CellarException(ErrorCode.CONFIG_INVALID,
                    ConfigKey.DATABASE_SSLMODE.dotted() + " " + mode.libpq() + " checks the server's certificate, but no root certificate is configured"
                            + (home == null ? "" : " and " + defaultRootCert(home) + " does not exist"),
                    "set " + ConfigKey.DATABASE_SSLROOTCERT.withEnv() + " to the CA certificate(s) that signed the server's certificate (PEM)"));
        }
        return problems;
    }

    /** Throws the first of {@link #problems} for this host's files. */
    public void requireUsable() {
        String home = System.getProperty("user.home");
        List<CellarException> problems = problems(java.nio.file.Files::isReadable, home == null ? null : Path.of(home));
        if (!problems.isEmpty()) {
            throw problems.get(0);
        }
    }

    static Path defaultRootCert(Path home) {
        return home.resolve(".postgresql").resolve("root.crt");
    }

    private static void checkFile(List<CellarException> problems, Path file, ConfigKey key, Predicate<Path> readable) {
        if (file != null && !readable.test(file)) {
            problems.add(new CellarException(ErrorCode.CONFIG_INVALID, key.dotted() + " " + file + " cannot be read",
                    "check the path in " + key.withEnv() + " and that this user may read the file"));
        }
    }
}
