package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellar.config.DatabaseTls;
import dev.cellar.config.TlsMinVersion;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.repo.RepositoryJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Cellar against a server that speaks TLS 1.3 only and refuses plaintext (pg_hba {@code hostssl}
 * only, {@code hostnossl ... reject}), its certificate from a private CA made here with the openssl
 * CLI: every command that talks to PostgreSQL works with {@code verify-full}, the server's log
 * shows each of their connections encrypted with TLS 1.3, a client certificate logs in, and
 * {@code sslmode=require} against a plaintext server or a wrong CA fails before any work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseTlsIT {
    private static final String DB = "tls_shop";
    private static final String SLOT = "tls_stream";
    /** docs/exit-codes.md: cannot connect, authenticate, or read the catalog. */
    private static final int DATABASE_UNREACHABLE = 6;

    private Path certs;
    private ArchivedCluster archived;
    private LocalCluster plaintext;

    @BeforeAll
    void startTlsOnlyCluster() throws Exception {
        certs = ServerUser.newFolder("cellar-tls-certs");
        makeCertificates(certs);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("ssl", "on");
        settings.put("ssl_cert_file", certs.resolve("server.crt").toString());
        settings.put("ssl_key_file", certs.resolve("server.key").toString());
        settings.put("ssl_ca_file", certs.resolve("ca.crt").toString());
        settings.put("ssl_min_protocol_version", "TLSv1.3");
        settings.put("log_connections", "on");
        Map<String, String> tls = Map.of(
                "CELLAR_DATABASE_SSLMODE", "verify-full",
                "CELLAR_DATABASE_SSLROOTCERT", certs.resolve("ca.crt").toString(),
                "CELLAR_DATABASE_TLS_MIN_VERSION", "1.3");
        archived = ArchivedCluster.start(settings, RepositoryPlacement.folder(), dev.cellar.pg.PgBinaries.locate(null), tls);
        LocalCluster cluster = archived.cluster();
        Files.writeString(cluster.dataDir().resolve("pg_hba.conf"), """
                local all all trust
                local replication all trust
                hostnossl all all 0.0.0.0/0 reject
                hostnossl replication all 0.0.0.0/0 reject
                hostssl all certuser 127.0.0.1/32 cert
                hostssl all all 127.0.0.1/32 trust
                hostssl replication all 127.0.0.1/32 trust
                """);
        cluster.execute("postgres", "SELECT pg_reload_conf()");
        cluster.createDatabase(DB);
        cluster.execute(DB, "CREATE TABLE dish (id int PRIMARY KEY, name text NOT NULL)");
        cluster.execute(DB, "INSERT INTO dish SELECT g, 'dish ' || g FROM generate_series(1, 500) g");
        cluster.execute("postgres", "CREATE ROLE certuser LOGIN SUPERUSER");
        plaintext = LocalCluster.start(TestFolders.create("cellar-tls-plain-pg"));
        plaintext.createDatabase(DB);
    }

    @AfterAll
    void stop() {
        try {
            if (plaintext != null) {
                plaintext.close();
            }
        } finally {
            if (archived != null) {
                archived.close();
            }
        }
    }

    @Test
    void cellarsOwnConnectionsAreTls13AndVerifyTheServer() throws Exception {
        DatabaseTls tls = new DatabaseTls(DatabaseTls.SslMode.VERIFY_FULL, certs.resolve("ca.crt"), null, null, TlsMinVersion.TLS_1_3);
        PgConnectionSpec spec = new PgConnectionSpec("127.0.0.1", archived.cluster().port(), "postgres", DB, null, tls);
        try (Connection c = spec.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            rs.next();
            assertThat(rs.getBoolean(1)).isTrue();
            assertThat(rs.getString(2)).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void logicalBackupAndRestoreRunOverVerifiedTls13() throws Exception {
        int before = connectionLines().size();
        archived.cellarOk("restore", "logical", logicalBackup(), "--target-db", DB + "_restored");
        assertThat(count(DB + "_restored", "SELECT count(*) FROM dish")).isEqualTo(500);
        List<String> lines = connectionLines().subList(before, connectionLines().size());
        // pg_dump, pg_restore and Cellar's own JDBC sessions: every one encrypted, none refused
        assertThat(lines).anyMatch(l -> l.contains("application_name=cellar")).hasSizeGreaterThan(2)
                .allMatch(l -> l.contains("SSL enabled (protocol=TLSv1.3"));
    }

    @Test
    void aWholeClusterBackupAndARestoreTestRunOverVerifiedTls13() throws Exception {
        int before = connectionLines().size();
        // pg_dumpall for the globals, pg_dump per database, and the restore test's scratch database
        archived.cellarOk("backup", "logical", "--all");
        archived.cellarOk("verify", "-d", DB, "--restore-test", "latest");
        List<String> lines = connectionLines().subList(before, connectionLines().size());
        assertThat(lines).hasSizeGreaterThan(3).allMatch(l -> l.contains("SSL enabled (protocol=TLSv1.3"));
    }

    @Test
    void physicalBackupAndWalStreamRunOverVerifiedTls13() throws Exception {
        int before = connectionLines().size();
        archived.cellarOk("backup", "physical");
        Process stream = archived.startCellar("wal", "stream", "--create-slot", "--slot", SLOT, "--status-interval", "0");
        try {
            Instant deadline = Instant.now().plusSeconds(40);
            while (!"true".equals(text("SELECT coalesce(bool_or(active), false)::text FROM pg_replication_slots WHERE slot_name = '" + SLOT + "'"))) {
                assertThat(stream.isAlive()).as("cellar wal stream runs: " + CellarCli.stderrSoFar(stream)).isTrue();
                assertThat(Instant.now()).as("cellar wal stream holds its slot: " + CellarCli.stderrSoFar(stream)).isBefore(deadline);
                Thread.sleep(200);
            }
            assertThat(text("SELECT string_agg(s.ssl::text || ' ' || s.version, ',') FROM pg_stat_replication r "
                    + "JOIN pg_stat_ssl s ON s.pid = r.pid WHERE r.application_name = '" + SLOT + "'")).isEqualTo("true TLSv1.3");
            // the TLS settings travel in environments: no process's command line names them
            assertThat(commandLines()).isNotEmpty().noneMatch(line -> line.contains(certs.toString()) || line.contains("sslmode"));
        } finally {
            stream.destroy();
            if (!stream.waitFor(30, TimeUnit.SECONDS)) {
                stream.destroyForcibly();
            }
        }
        List<String> lines = connectionLines().subList(before, connectionLines().size());
        assertThat(lines).anyMatch(l -> l.contains("replication connection authorized"))
                .allMatch(l -> l.contains("SSL enabled (protocol=TLSv1.3"));
    }

    @Test
    void aClientCertificateLogsInForJdbcAndPgDump() throws Exception {
        CellarCli.Run run = archived.cellarWithAll(Map.of("CELLAR_DATABASE_USER", "certuser",
                "CELLAR_DATABASE_SSLCERT", certs.resolve("client.crt").toString(),
                "CELLAR_DATABASE_SSLKEY", certs.resolve("client.key").toString()), "backup", "logical", "-d", DB, "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(connectionLines()).anyMatch(l -> l.contains("user=certuser") && l.contains("SSL enabled (protocol=TLSv1.3"));
    }

    @Test
    void aWrongRootCertificateFailsVerifyFullClearly() throws Exception {
        List<String> backups = backupRecords();
        CellarCli.Run run = archived.cellarWith("CELLAR_DATABASE_SSLROOTCERT", certs.resolve("other-ca.crt").toString(),
                "backup", "logical", "-d", DB);
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(DATABASE_UNREACHABLE);
        assertThat(run.stderr()).contains("cannot connect to database").contains("certificate").contains("database.sslrootcert");
        assertThat(backupRecords()).isEqualTo(backups);
    }

    @Test
    void sslmodeRequireRefusesAPlaintextServerBeforeAnyWork() throws Exception {
        String backupId = logicalBackup();
        List<String> backups = backupRecords();
        Map<String, String> plain = Map.of("CELLAR_DATABASE_PORT", Integer.toString(plaintext.port()), "CELLAR_DATABASE_SSLMODE", "require");
        List<List<String>> commands = List.of(
                List.of("backup", "logical", "-d", DB),
                List.of("backup", "physical"),
                List.of("restore", "logical", backupId, "--target-db", "never_made"));
        for (List<String> command : commands) {
            CellarCli.Run run = archived.cellarWithAll(plain, command.toArray(String[]::new));
            assertThat(run.exitCode()).as(command + "\n" + run).isEqualTo(DATABASE_UNREACHABLE);
            assertThat(run.stderr()).as(command.toString()).contains("does not support SSL").contains("database.sslmode");
        }
        assertThat(backupRecords()).isEqualTo(backups);
        try (Connection c = plaintext.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = 'never_made'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    private String logicalBackup() throws IOException {
        JsonNode backup = RepositoryJson.mapper().readTree(archived.cellarOk("backup", "logical", "-d", DB, "--json").stdout());
        return backup.path("manifest").path("id").asText(backup.path("id").asText());
    }

    /** The server log's lines for sessions that logged in (all over TCP: libpq and pgjdbc both connect to 127.0.0.1 here). */
    private List<String> connectionLines() throws IOException {
        return Files.readAllLines(archived.cluster().dataDir().resolveSibling("postgres.log")).stream()
                .filter(line -> line.contains("connection authorized")).toList();
    }

    /** The command line of every process on the machine, as the process list shows it. */
    private static List<String> commandLines() throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    lines.add(new String(Files.readAllBytes(process.resolve("cmdline"))).replace('\0', ' '));
                } catch (IOException gone) {
                    // the process ended meanwhile
                }
            }
        }
        return lines;
    }

    private List<String> backupRecords() throws IOException {
        Path backups = archived.home().resolve("repo").resolve("backups");
        if (!Files.exists(backups)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(backups)) {
            return files.map(p -> backups.relativize(p).toString()).sorted().toList();
        }
    }

    private int count(String database, String sql) throws Exception {
        try (Connection c = archived.cluster().connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private String text(String sql) throws Exception {
        try (Connection c = archived.cluster().connect("postgres"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return String.valueOf(rs.getString(1));
        }
    }

    /** A CA, a server certificate for localhost and 127.0.0.1, a client certificate for certuser, and an unrelated CA. */
    private static void makeCertificates(Path dir) throws Exception {
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
                "-subj", "/CN=Cellar test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other-ca.key", "-out", "other-ca.crt", "-days", "2",
                "-subj", "/CN=Some other CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        openssl(dir, "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
        openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt",
                "-days", "2", "-extfile", "server.ext");
        // a PKCS#8 PEM key (BEGIN PRIVATE KEY): the one format both libpq and pgjdbc read
        openssl(dir, "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.key", "-out", "client.csr", "-subj", "/CN=certuser");
        openssl(dir, "x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "client.crt", "-days", "2");
        assertThat(Files.readString(dir.resolve("client.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        for (String key : List.of("server.key", "client.key")) {
            Files.setPosixFilePermissions(dir.resolve(key), PosixFilePermissions.fromString("rw-------"));
        }
        ServerUser.giveAway(dir);
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + out).isZero();
    }
}
