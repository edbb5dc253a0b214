package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.PgBinaries;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.wal.WalArchive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A throwaway cluster that archives its WAL into a Cellar repository through the real
 * {@code cellar wal push}, with everything the server's OS user must own (repository, spool,
 * configuration, passphrase) in one private folder. Integration tests of physical backups,
 * WAL and point-in-time recovery share it per class.
 */
public final class ArchivedCluster implements AutoCloseable {
    public static final String PASSPHRASE = dev.cellar.secrets.KnownSecrets.register("pitr-test-passphrase");

    private final Path home;
    private final RepositoryPlacement placement;
    private final Path config;
    private final CellarCli cli;
    private final LocalCluster cluster;
    private final List<Path> restoredDirs = new ArrayList<>();

    private ArchivedCluster(Path home, RepositoryPlacement placement, Path config, CellarCli cli, LocalCluster cluster) {
        this.home = home;
        this.placement = placement;
        this.config = config;
        this.cli = cli;
        this.cluster = cluster;
    }

    /** Starts a cluster with archive_mode on and archive_command = cellar wal push, and an initialised repository. */
    public static ArchivedCluster start(Map<String, String> extraSettings) {
        return start(extraSettings, RepositoryPlacement.folder());
    }

    /** The same with the repository where {@code placement} says. */
    public static ArchivedCluster start(Map<String, String> extraSettings, RepositoryPlacement placement) {
        return start(extraSettings, placement, PgBinaries.locate(null), Map.of());
    }

    /**
     * The same on the server {@code bins} finds (another major's, say), with {@code cliEnvironment}
     * set for every cellar command the test runs (not for archive_command, which the server runs).
     */
    public static ArchivedCluster start(Map<String, String> extraSettings, RepositoryPlacement placement, PgBinaries bins,
                                        Map<String, String> cliEnvironment) {
        try {
            Path home = ServerUser.newFolder("cellar-archived");
            Path passphrase = home.resolve("passphrase");
            Files.writeString(passphrase, PASSPHRASE);
            Files.setPosixFilePermissions(passphrase, PosixFilePermissions.fromString("rw-------"));
            Path config = home.resolve("cellar.yaml");
            writeConfig(home, placement, config, null);
            Files.createDirectories(home.resolve("spool"));
            ServerUser.giveAway(home);
            CellarCli cli = new CellarCli(cliEnvironment).asServerUser();
            CellarCli.Run init = cli.run("init", "--config", config.toString());
            assertThat(init.exitCode()).as(init.toString()).isZero();
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("archive_mode", "on");
            settings.put("archive_command", cli.commandLine() + " wal push --config " + config + " --spool " + home.resolve("spool") + " %p");
            settings.putAll(extraSettings);
            LocalCluster cluster = LocalCluster.start(TestFolders.create("cellar-archived-pg"), bins, settings);
            writeConfig(home, placement, config, cluster.port());
            return new ArchivedCluster(home, placement, config, cli, cluster);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeConfig(Path home, RepositoryPlacement placement, Path config, Integer port) throws IOException {
        String yaml = "repository:\n  path: " + placement.location(home) + "\n  passphrase-file: " + home.resolve("passphrase") + "\n"
                + placement.extraYaml(home)
                + "wal:\n  spool-path: " + home.resolve("spool") + "\n"
                + (port == null ? "" : "database:\n  host: 127.0.0.1\n  port: " + port + "\n  user: postgres\n  name: postgres\n");
        Path temp = home.resolve("cellar.yaml.tmp");
        Files.writeString(temp, yaml, StandardCharsets.UTF_8);
        ServerUser.giveAway(temp);
        Files.move(temp, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public LocalCluster cluster() {
        return cluster;
    }

    public Path home() {
        return home;
    }

    public Path config() {
        return config;
    }

    /** Runs cellar as the server user with this cluster's configuration appended. */
    public CellarCli.Run cellar(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString()));
        return cli.run(all.toArray(String[]::new));
    }

    /** Like {@link #cellar}, with one environment variable changed for this run (null removes it). */
    public CellarCli.Run cellarWith(String variable, String value, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString()));
        return cli.with(variable, value).run(all.toArray(String[]::new));
    }

    /** Like {@link #cellar}, with several environment variables changed for this run. */
    public CellarCli.Run cellarWithAll(Map<String, String> variables, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString()));
        CellarCli changed = cli;
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            changed = changed.with(variable.getKey(), variable.getValue());
        }
        return changed.run(all.toArray(String[]::new));
    }

    /** Starts a long-running cellar command (wal stream) as the server user with this configuration, without waiting. */
    public Process startCellar(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString()));
        return cli.start(all.toArray(String[]::new));
    }

    /** Like {@link #cellar} but fails the test unless it exits 0. */
    public CellarCli.Run cellarOk(String... args) {
        CellarCli.Run run = cellar(args);
        assertThat(run.exitCode()).as("cellar " + String.join(" ", args) + "\n" + run).isZero();
        return run;
    }

    /** Opens the repository read-only from the test process (never write through it: wrong owner). */
    public Repository openRepository() {
        return Repository.open(placement.open(home), RepositorySecret.passphrase(PASSPHRASE.toCharArray()), Clock.systemUTC());
    }

    public WalArchive walArchive(Repository repository) {
        return new WalArchive(repository, 3);
    }

    /** Switches to a new WAL segment and waits until the archiver has stored the finished one. */
    public void switchAndAwaitArchived(Duration timeout) {
        switchAndAwaitArchived(cluster.port(), timeout);
    }

    /** The same for any server (a restored one that archives into this repository too). */
    public void switchAndAwaitArchived(int port, Duration timeout) {
        try (Connection c = connect(port, "postgres"); Statement s = c.createStatement()) {
            String finished;
            try (ResultSet rs = s.executeQuery("SELECT pg_walfile_name(pg_switch_wal())")) {
                rs.next();
                finished = rs.getString(1);
            }
            Instant deadline = Instant.now().plus(timeout);
            while (true) {
                try (ResultSet rs = s.executeQuery("SELECT coalesce(last_archived_wal, ''), failed_count, coalesce(last_failed_wal, '') FROM pg_stat_archiver")) {
                    rs.next();
                    String last = rs.getString(1);
                    if (last.length() >= 24 && last.substring(0, 24).compareTo(finished) >= 0) {
                        return;
                    }
                    if (Instant.now().isAfter(deadline)) {
                        throw new AssertionError("WAL " + finished + " not archived within " + timeout + "; last archived " + last
                                + ", failures " + rs.getLong(2) + " (last failed " + rs.getString(3) + ")\n" + serverLogTail());
                    }
                }
                Thread.sleep(100);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public String serverLogTail() {
        try {
            List<String> lines = Files.readAllLines(cluster.dataDir().resolveSibling("postgres.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no server log)";
        }
    }

    /** A folder path (not created) for a restored data directory, removed at close. */
    public Path restoreDir(String name) {
        Path dir = home.resolve(name);
        restoredDirs.add(dir);
        return dir;
    }

    public static Connection connect(int port, String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", "");
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills whatever server runs on {@code dataDir} like a power cut would (immediate stop). */
    public static void crash(dev.cellar.pg.PgBinaries bins, Path dataDir) {
        LocalCluster.stopServer(bins, dataDir, "immediate");
    }

    /** Stops a server Cellar started on a restored directory. */
    public void stopRestored(Path dataDir) {
        LocalCluster.stopServer(cluster.binaries(), dataDir, "immediate");
    }

    @Override
    public void close() {
        restoredDirs.forEach(this::stopRestored);
        cluster.close();
        try (var paths = Files.walk(home)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp folder: the OS cleans up what is left
        }
    }
}
