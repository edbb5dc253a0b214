package dev.cellar.pg;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A PostgreSQL cluster kept in a folder across processes (the embedded catalog): initialised
 * once, started by whichever process needs it first on a loopback port remembered in the folder,
 * found running by every later one through {@code postmaster.pid}, and left running when that
 * process ends. Unlike {@link LocalCluster} it is durable (fsync stays on) and password-protected.
 */
public final class PersistentCluster {
    private static final String HOST = "127.0.0.1";
    private static final String SUPERUSER = "postgres";
    private static final String SETTINGS_FILE = "cellar-cluster.conf";

    private final Path folder;
    private final PgBinaries bins;
    private final String osUser;

    private PersistentCluster(Path folder, PgBinaries bins, String osUser) {
        this.folder = folder.toAbsolutePath();
        this.bins = bins;
        this.osUser = osUser;
    }

    /** Where a client connects, and with which password. */
    public record Endpoint(String host, int port, String user, String password) {
        public String jdbcUrl(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }
    }

    /**
     * The cluster in {@code folder}, initialised if new and started if not running. Two processes
     * doing this at once are serialised by a file lock, so only one runs initdb or pg_ctl start.
     */
    public static Endpoint startOrAttach(Path folder, PgBinaries bins) {
        PersistentCluster cluster = new PersistentCluster(folder, bins, ProcessRunner.unprivilegedUserForServer());
        return cluster.underLock(cluster::ensureRunning);
    }

    /** Stops the cluster in {@code folder} if it runs (fast shutdown); for tests, the demo and uninstalling. */
    public static void stop(Path folder, PgBinaries bins) {
        PersistentCluster cluster = new PersistentCluster(folder, bins, ProcessRunner.unprivilegedUserForServer());
        if (Files.exists(cluster.dataDir().resolve("postmaster.pid"))) {
            ProcessRunner.run(cluster.pgCtl("-m", "fast", "-w", "stop"), Map.of(), cluster.osUser);
        }
    }

    /** The folder's data directory. */
    public static Path dataDir(Path folder) {
        return folder.resolve("pgdata");
    }

    private Path dataDir() {
        return dataDir(folder);
    }

    private Endpoint underLock(java.util.function.Supplier<Endpoint> work) {
        try {
            Files.createDirectories(folder);
            try (FileChannel channel = FileChannel.open(folder.resolve(".start.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                return work.get();
            }
        } catch (IOException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "cannot use the catalog folder " + folder + ": " + e.getMessage(),
                    "check that this user may write it, or set server.state-dir to a folder it may", e);
        }
    }

    private Endpoint ensureRunning() {
        if (!Files.exists(dataDir().resolve("PG_VERSION"))) {
            initialise();
        }
        Optional<Integer> running = runningPort();
        int port = running.orElseGet(this::start);
        return new Endpoint(HOST, port, SUPERUSER, readPassword());
    }

    private void initialise() {
        String password = HexFormat.of().formatHex(randomBytes());
        Path passwordFile = passwordFile();
        write(passwordFile, password);
        ClusterFolder.prepare(folder, folder.resolve("sockets"), osUser);
        restrict(passwordFile);
        // the server may not see into the data directory's parent with a half-made pgdata in it: start clean
        ClusterFolder.deleteQuietly(dataDir());
        List<String> command = new ArrayList<>(List.of(bins.path("initdb").toString(), "-D", dataDir().toString(),
                "--auth-local=peer", "--auth-host=scram-sha-256", "--pwfile=" + passwordFile, "--encoding=UTF8",
                "--locale=C.UTF-8", "-U", SUPERUSER));
        ProcessRunner.requireSuccess(command, Map.of(), osUser);
        String conf = read(dataDir().resolve("postgresql.conf"));
        write(dataDir().resolve("postgresql.conf"), conf + "\n# written by Cellar: port and sockets chosen at each start\n"
                + "include_if_exists = '" + SETTINGS_FILE + "'\n");
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    /** The port of the server running on the data directory, from {@code postmaster.pid}, when it answers. */
    private Optional<Integer> runningPort() {
        Path pidFile = dataDir().resolve("postmaster.pid");
        if (!Files.exists(pidFile) || !ProcessRunner.run(pgCtl("status"), Map.of(), osUser).succeeded()) {
            return Optional.empty();
        }
        List<String> lines = read(pidFile).lines().toList();
        // line 4 of postmaster.pid is the port (PostgreSQL's documented layout)
        return lines.size() >= 4 ? Optional.of(Integer.parseInt(lines.get(3).strip())) : Optional.empty();
    }

    private int start() {
        Path logFile = folder.resolve("postgres.log");
        for (int attempt = 1; ; attempt++) {
            int port = portToUse(attempt);
            write(dataDir().resolve(SETTINGS_FILE), "listen_addresses = '" + HOST + "'\nport = " + port + "\n"
                    + "unix_socket_directories = '" + folder.resolve("sockets") + "'\nshared_buffers = '16MB'\nmax_connections = 50\n");
            ProcessResult result = ProcessRunner.run(pgCtl("-w", "-t", "60", "-l", logFile.toString(), "start"), Map.of(), osUser);
            if (result.succeeded()) {
                write(folder.resolve("port"), Integer.toString(port));
                if (osUser != null) {
                    // files root just wrote go to the server's user, so a later start by that user can rewrite them
                    ClusterFolder.prepare(folder, folder.resolve("sockets"), osUser);
                }
                return port;
            }
            String log = Files.exists(logFile) ? read(logFile) : "";
            if (attempt == 3 || !log.contains("already in use")) {
                throw new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED, "the embedded catalog cluster in " + dataDir()
                        + " did not start (pg_ctl exit code " + result.exitCode() + ")" + ProcessRunner.lastLines(result.stderrTail()),
                        "read its log " + logFile + "; or point catalog.url at a PostgreSQL of your choosing");
            }
        }
    }

    /** The port remembered from the last start while it is free, so Grafana and psql keep finding it. */
    private int portToUse(int attempt) {
        Path remembered = folder.resolve("port");
        if (attempt == 1 && Files.exists(remembered)) {
            int port = Integer.parseInt(read(remembered).strip());
            if (free(port)) {
                return port;
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new CellarException(ErrorCode.INTERNAL, "cannot find a free port on " + HOST + ": " + e.getMessage(),
                    "check that the loopback interface is up", e);
        }
    }

    private static boolean free(int port) {
        try (ServerSocket ignored = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Path passwordFile() {
        return folder.resolve("superuser.password");
    }

    private String readPassword() {
        return read(passwordFile()).strip();
    }

    private void restrict(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "cannot restrict " + file + ": " + e.getMessage(),
                    "check the catalog folder's permissions", e);
        }
    }

    private List<String> pgCtl(String... args) {
        List<String> command = new ArrayList<>(List.of(bins.path("pg_ctl").toString(), "-D", dataDir().toString()));
        command.addAll(List.of(args));
        return command;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "cannot read " + file + ": " + e.getMessage(),
                    "check the catalog folder's permissions (the server's state folder, server.state-dir)", e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "cannot write " + file + ": " + e.getMessage(),
                    "check the catalog folder's permissions (the server's state folder, server.state-dir)", e);
        }
    }
}
