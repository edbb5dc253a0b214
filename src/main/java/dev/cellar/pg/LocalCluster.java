package dev.cellar.pg;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A throwaway PostgreSQL cluster on a free loopback port, for integration tests and
 * {@code cellar demo}. Tuned for speed, not durability (fsync off), and deleted on close; a
 * shutdown hook stops the server if the JVM exits before {@link #close()}.
 */
public final class LocalCluster implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final String SUPERUSER = "postgres";
    private static final int DEFAULT_PORT = 5432;
    private static final int START_ATTEMPTS = 3;

    private final Path parentDir;
    private final Path dataDir;
    private final Path logFile;
    private final PgBinaries bins;
    private final String osUser;
    private final Thread shutdownHook;
    private final AtomicBoolean running = new AtomicBoolean();
    private int port;
    private PgVersion serverVersion;

    private LocalCluster(Path parentDir, PgBinaries bins, String osUser) {
        this.parentDir = parentDir.toAbsolutePath();
        this.dataDir = this.parentDir.resolve("pgdata");
        this.logFile = this.parentDir.resolve("postgres.log");
        this.bins = bins;
        this.osUser = osUser;
        this.shutdownHook = new Thread(this::stopImmediately, "local-cluster-stop");
    }

    public static LocalCluster start(Path parentDir) {
        return start(parentDir, PgBinaries.locate(null));
    }

    public static LocalCluster start(Path parentDir, PgBinaries bins) {
        return start(parentDir, bins, Map.of());
    }

    /**
     * Creates {@code parentDir/pgdata}, initialises a cluster there and starts it.
     *
     * @param extraSettings postgresql.conf settings added after Cellar's defaults, with plain
     *                      unquoted values (e.g. {@code archive_mode -> on})
     */
    public static LocalCluster start(Path parentDir, PgBinaries bins, Map<String, String> extraSettings) {
        return start(parentDir, bins, extraSettings, List.of());
    }

    /** As {@link #start(Path, PgBinaries, Map)}, with more initdb options (e.g. {@code --data-checksums}). */
    public static LocalCluster start(Path parentDir, PgBinaries bins, Map<String, String> extraSettings, List<String> initdbOptions) {
        LocalCluster cluster = new LocalCluster(parentDir, bins, ProcessRunner.unprivilegedUserForServer());
        Path socketDir = cluster.parentDir.resolve("sockets");
        ClusterFolder.prepare(cluster.parentDir, socketDir, cluster.osUser);
        cluster.initdb(initdbOptions);
        Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
        try {
            cluster.startOnFreePort(socketDir, extraSettings);
        } catch (RuntimeException e) {
            cluster.stopImmediately();
            cluster.removeShutdownHook();
            throw e;
        }
        return cluster;
    }

    public int port() {
        return port;
    }

    public String host() {
        return HOST;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String superuser() {
        return SUPERUSER;
    }

    public PgBinaries binaries() {
        return bins;
    }

    /** The running server's version, from {@code server_version_num}. */
    public PgVersion serverVersion() {
        if (serverVersion == null) {
            try (Connection c = connect("postgres"); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SHOW server_version_num")) {
                rs.next();
                serverVersion = PgVersion.fromServerVersionNum(Integer.parseInt(rs.getString(1)));
            } catch (SQLException e) {
                throw sqlFailed("postgres", e);
            }
        }
        return serverVersion;
    }

    public String jdbcUrl(String db) {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + db;
    }

    /** A connection as the superuser; the cluster trusts local connections, so no password. */
    public Connection connect(String db) {
        Properties props = new Properties();
        props.setProperty("user", SUPERUSER);
        try {
            return DriverManager.getConnection(jdbcUrl(db), props);
        } catch (SQLException e) {
            throw new CellarException(ErrorCode.DATABASE_UNREACHABLE,
                    "cannot connect to database " + db + " on the local cluster at " + HOST + ":" + port
                            + ": " + e.getMessage(),
                    "check that the cluster is running; its log is " + logFile, e);
        }
    }

    public void createDatabase(String name) {
        execute("postgres", "CREATE DATABASE " + quoteIdent(name));
    }

    /** Drops the database if it exists, disconnecting its sessions. */
    public void dropDatabase(String name) {
        execute("postgres", "DROP DATABASE IF EXISTS " + quoteIdent(name) + " WITH (FORCE)");
    }

    public void execute(String db, String sql) {
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw sqlFailed(db, e);
        }
    }

    /** Runs {@code pgbench} against {@code db} with {@code args}, e.g. {@code "-i", "-s", "1"}. */
    public void pgbench(String db, String... args) {
        List<String> command = new ArrayList<>(List.of(bins.path("pgbench").toString(),
                "-h", HOST, "-p", String.valueOf(port), "-U", SUPERUSER));
        command.addAll(List.of(args));
        command.add(db);
        ProcessRunner.requireSuccess(command, Map.of(), null);
    }

    /** Stops the server (fast shutdown); does nothing when it is already stopped. */
    public void stop() {
        if (running.compareAndSet(true, false)) {
            ProcessRunner.requireSuccess(pgCtl("-m", "fast", "-w", "stop"), Map.of(), osUser);
        }
        removeShutdownHook();
    }

    /** Starts the server again after {@link #stop()}, on the same port and settings. */
    public void restart() {
        if (running.compareAndSet(false, true)) {
            ProcessRunner.requireSuccess(pgCtl("-w", "-t", "60", "-l", logFile.toString(), "start"), Map.of(), osUser);
            Runtime.getRuntime().addShutdownHook(new Thread(this::stopImmediately, "local-cluster-stop"));
        }
    }

    /** Stops the server the way a power cut would ({@code pg_ctl -m immediate}): no checkpoint, no WAL flush to the archive. */
    public void crash() {
        if (running.compareAndSet(true, false)) {
            ProcessRunner.requireSuccess(pgCtl("-m", "immediate", "-w", "stop"), Map.of(), osUser);
        }
        removeShutdownHook();
    }

    /** The operating-system user the server runs as, or null when it runs as the calling user. */
    public String osUser() {
        return osUser;
    }

    /**
     * Stops whatever server runs on {@code dataDir} (one this class did not start, such as a
     * restored copy); does nothing when none runs there.
     */
    public static void stopServer(PgBinaries bins, Path dataDir, String mode) {
        if (Files.exists(dataDir.resolve("postmaster.pid"))) {
            ProcessRunner.run(List.of(bins.path("pg_ctl").toString(), "-D", dataDir.toString(), "-m", mode, "-w", "stop"),
                    Map.of(), ProcessRunner.unprivilegedUserForServer());
        }
    }

    /** Stops the server and deletes the whole parent folder. */
    @Override
    public void close() {
        stop();
        ClusterFolder.deleteQuietly(parentDir);
    }

    private void initdb(List<String> options) {
        List<String> command = new ArrayList<>(List.of(bins.path("initdb").toString(), "-D", dataDir.toString(),
                "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "-U", SUPERUSER, "--no-sync"));
        command.addAll(options);
        ProcessRunner.requireSuccess(command, Map.of(), osUser);
    }

    private void startOnFreePort(Path socketDir, Map<String, String> extraSettings) {
        String originalConf = read(dataDir.resolve("postgresql.conf"));
        for (int attempt = 1; ; attempt++) {
            port = freeLoopbackPort();
            write(dataDir.resolve("postgresql.conf"), originalConf + settings(socketDir, extraSettings));
            ProcessResult result = ProcessRunner.run(
                    pgCtl("-w", "-t", "60", "-l", logFile.toString(), "start"), Map.of(), osUser);
            if (result.succeeded()) {
                running.set(true);
                return;
            }
            String log = Files.exists(logFile) ? read(logFile) : "";
            if (attempt == START_ATTEMPTS || !log.contains("already in use")) {
                throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED,
                        "local PostgreSQL cluster in " + dataDir + " did not start (pg_ctl exit code "
                                + result.exitCode() + ")" + ProcessRunner.lastLines(result.stderrTail())
                                + "\nserver log" + ProcessRunner.lastLines(log),
                        "read the server log " + logFile + " and fix the setting or resource it names");
            }
        }
    }

    private String settings(Path socketDir, Map<String, String> extraSettings) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("listen_addresses", HOST);
        all.put("port", String.valueOf(port));
        all.put("unix_socket_directories", socketDir.toString());
        all.put("fsync", "off");
        all.put("synchronous_commit", "off");
        all.put("full_page_writes", "off");
        all.put("shared_buffers", "128MB");
        all.put("max_wal_size", "2GB");
        all.put("wal_level", "replica");
        all.put("max_wal_senders", "4");
        all.putAll(extraSettings);
        StringBuilder conf = new StringBuilder("\n# added by Cellar's LocalCluster\n");
        all.forEach((name, value) -> conf.append(name).append(" = '")
                .append(value.replace("'", "''")).append("'\n"));
        return conf.toString();
    }

    /** Shutdown-hook and failed-start path: stop at once, ignoring failures. */
    private void stopImmediately() {
        running.set(false);
        ProcessRunner.run(pgCtl("-m", "immediate", "-w", "stop"), Map.of(), osUser);
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or about to: nothing to undo
        }
    }

    private List<String> pgCtl(String... args) {
        List<String> command = new ArrayList<>(List.of(bins.path("pg_ctl").toString(), "-D", dataDir.toString()));
        command.addAll(List.of(args));
        return command;
    }

    private static int freeLoopbackPort() {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                if (socket.getLocalPort() != DEFAULT_PORT) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new CellarException(ErrorCode.INTERNAL,
                        "cannot find a free port on " + HOST + ": " + e.getMessage(),
                        "check that the loopback interface is up", e);
            }
        }
    }

    private CellarException sqlFailed(String db, SQLException e) {
        return new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED,
                "sql on database " + db + " of the local cluster failed: " + e.getMessage(),
                "fix the statement; the server log is " + logFile, e);
    }

    private static String quoteIdent(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "cannot read " + file + ": " + e.getMessage(),
                    "check the cluster folder's permissions", e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "cannot write " + file + ": " + e.getMessage(),
                    "check the cluster folder's permissions", e);
        }
    }
}
