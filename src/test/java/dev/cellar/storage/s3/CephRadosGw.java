package dev.cellar.storage.s3;

import dev.cellar.config.S3Config;
import dev.cellar.it.TestFolders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Ceph's radosgw as a one-node cluster on loopback (one monitor, one bluestore OSD on a sparse
 * file, one gateway; no cephx), started once per test JVM and shared by every class that asks for
 * it: the one S3 server these tests can run that really enforces Object Lock (a COMPLIANCE-locked
 * version cannot be deleted or shortened; a plain DELETE adds a delete marker, a PUT a new
 * version). Starting costs about 15 s, so a suite run pays it once.
 *
 * <p>Its state lives in a temporary folder; the daemons are killed and the folder removed when the
 * JVM exits, and a watchdog process kills them should the JVM die without running its hooks.
 * Needs Debian's {@code ceph-mon ceph-osd radosgw ceph-common} (.ci/run installs them); without
 * them the tests that ask for it are skipped with that message. It does not need root.
 */
public final class CephRadosGw implements TestS3Server {
    private static final String ACCESS_KEY = "CELLARRGWACCESS00001";
    private static final String SECRET_KEY = dev.cellar.secrets.KnownSecrets.register("cellar-rgw-secret-key-for-tests-000000001");
    private static final List<String> PROGRAMS = List.of("ceph-mon", "ceph-osd", "radosgw", "ceph", "ceph-authtool", "monmaptool", "radosgw-admin");
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(90);

    private static CephRadosGw shared;
    private static String unavailable;

    private final Path folder;
    private final int gatewayPort;
    private final List<Process> daemons = new ArrayList<>();
    private volatile Process gateway;
    private Duration startTime = Duration.ZERO;

    private CephRadosGw(Path folder, int gatewayPort) {
        this.folder = folder;
        this.gatewayPort = gatewayPort;
    }

    /**
     * The JVM's one radosgw, started on first use; the calling test is skipped (not failed) when
     * the Ceph packages are not installed.
     */
    public static synchronized CephRadosGw shared() {
        if (shared == null && unavailable == null) {
            unavailable = missingPrograms();
            if (unavailable == null) {
                shared = start();
            }
        }
        Assumptions.assumeTrue(unavailable == null, () -> unavailable);
        return shared;
    }

    private static String missingPrograms() {
        List<String> missing = PROGRAMS.stream().filter(p -> !onPath(p)).toList();
        if (missing.isEmpty()) {
            return null;
        }
        return "Ceph radosgw tests skipped: " + String.join(", ", missing) + " not found on the PATH; install them with"
                + " 'apt-get install --no-install-recommends ceph-mon ceph-osd radosgw ceph-common' (.ci/run does)";
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (Files.isExecutable(Path.of(dir.isEmpty() ? "." : dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static CephRadosGw start() {
        long started = System.nanoTime();
        Path folder;
        try {
            folder = TestFolders.create("cellar-radosgw-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CephRadosGw server = new CephRadosGw(folder, freePort());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "radosgw-stop"));
        try {
            server.bootstrap(freePort(), freePort());
        } catch (IOException | RuntimeException e) {
            String logs = server.logTails();
            server.close();
            throw new IllegalStateException("cannot start radosgw in " + folder + ": " + e.getMessage() + "\n" + logs, e);
        }
        server.startTime = Duration.ofNanos(System.nanoTime() - started);
        System.err.println("radosgw up on " + server.endpoint() + " in " + server.startTime.toMillis() + " ms (state in " + folder + ")");
        return server;
    }

    private void bootstrap(int monV2, int monV1) throws IOException {
        String monHost = "[v2:127.0.0.1:" + monV2 + ",v1:127.0.0.1:" + monV1 + "]";
        String fsid = UUID.randomUUID().toString();
        for (String sub : List.of("run", "log", "mon", "osd/0", "rgw")) {
            Files.createDirectories(folder.resolve(sub));
        }
        Files.writeString(config(), cephConf(fsid, monHost));
        runStep(List.of("ceph-authtool", "--create-keyring", folder.resolve("keyring").toString(), "--gen-key", "-n", "mon.",
                "--cap", "mon", "allow *"));
        runStep(List.of("monmaptool", "--create", "--addv", "a", monHost, "--fsid", fsid, folder.resolve("monmap").toString()));
        runStep(cephCommand("ceph-mon", "--mkfs", "-i", "a", "--monmap", folder.resolve("monmap").toString(),
                "--keyring", folder.resolve("keyring").toString()));
        daemons.add(daemon("mon", cephCommand("ceph-mon", "-i", "a", "-f")));
        // 'osd new' waits for the monitor to form its quorum of one, so it doubles as the readiness check
        String osdUuid = UUID.randomUUID().toString();
        String osdId = runStep(cephCommand("ceph", "--connect-timeout", "60", "osd", "new", osdUuid)).strip();
        runStep(cephCommand("ceph-osd", "-i", osdId, "--mkfs", "--osd-uuid", osdUuid));
        daemons.add(daemon("osd", cephCommand("ceph-osd", "-i", osdId, "-f")));
        startGateway();
        runStep(cephCommand("radosgw-admin", "user", "create", "--uid=cellar", "--display-name=cellar",
                "--access-key=" + ACCESS_KEY, "--secret-key=" + SECRET_KEY));
        startWatchdog();
    }

    private String cephConf(String fsid, String monHost) {
        String d = folder.toString();
        return """
                [global]
                fsid = %s
                mon host = %s
                public network = 127.0.0.0/8
                auth cluster required = none
                auth service required = none
                auth client required = none
                auth allow insecure global id reclaim = true
                osd pool default size = 1
                osd pool default min size = 1
                mon allow pool size one = true
                mon warn on pool no redundancy = false
                osd pool default pg num = 8
                osd pool default pgp num = 8
                osd pool default pg autoscale mode = off
                mon max pg per osd = 1000
                osd crush chooseleaf type = 0
                run dir = %s/run
                admin socket = %s/run/$name.asok
                log file = %s/log/$name.log
                pid file = %s/run/$name.pid
                keyring = %s/keyring
                [mon]
                mon data = %s/mon/$name
                [osd]
                osd data = %s/osd/$id
                osd objectstore = bluestore
                bluestore block create = true
                bluestore block size = 21474836480
                osd memory target = 1073741824
                [client.rgw.a]
                # radosgw defaults to ms_mon_client_mode = secure, which fails (-13) without cephx
                ms mon client mode = crc secure
                auth client required = none
                rgw frontends = beast endpoint=127.0.0.1:%d
                rgw data = %s/rgw
                """.formatted(fsid, monHost, d, d, d, d, d, d, d, gatewayPort, d);
    }

    private Path config() {
        return folder.resolve("ceph.conf");
    }

    private List<String> cephCommand(String program, String... args) {
        List<String> command = new ArrayList<>(List.of(program, "-c", config().toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** Runs one setup command to its end and returns its stdout; a failure or a hang is an error naming it. */
    private String runStep(List<String> command) throws IOException {
        Path out = Files.createTempFile(folder.resolve("log"), "step-", ".out");
        Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        try {
            if (!process.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + STEP_TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
        String output = Files.readString(out);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + output);
        }
        return output;
    }

    private Process daemon(String name, List<String> command) throws IOException {
        return new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve("log/" + name + ".out").toFile())).start();
    }

    private void startGateway() throws IOException {
        gateway = daemon("rgw", cephCommand("radosgw", "-n", "client.rgw.a", "-f"));
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!gateway.isAlive()) {
                throw new IllegalStateException("radosgw exited with " + gateway.exitValue());
            }
            if (answers()) {
                return;
            }
            pause(Duration.ofMillis(200));
        }
        throw new IllegalStateException("radosgw did not answer on " + endpoint() + " within " + STEP_TIMEOUT.toSeconds() + " s");
    }

    private boolean answers() {
        try {
            HttpURLConnection connection = (HttpURLConnection) endpoint().toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2000);
            connection.getResponseCode();
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /**
     * A shell that waits for this JVM to end and then kills the daemons whose ids are in the pid
     * file, so a test JVM killed by a timeout does not leave a Ceph cluster running on a shared
     * machine. The file is rewritten whenever the gateway is started again.
     */
    private void startWatchdog() throws IOException {
        writePidFile();
        String script = "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null; do sleep 2; done; "
                + "kill -9 $(cat '" + pidFile() + "') 2>/dev/null; rm -rf '" + folder + "'";
        new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private Path pidFile() {
        return folder.resolve("daemons.pid");
    }

    private void writePidFile() throws IOException {
        StringBuilder pids = new StringBuilder();
        for (Process p : allDaemons()) {
            pids.append(p.pid()).append('\n');
        }
        Files.writeString(pidFile(), pids);
    }

    private List<Process> allDaemons() {
        List<Process> all = new ArrayList<>(daemons);
        if (gateway != null) {
            all.add(gateway);
        }
        return all;
    }

    /** How long the cluster took to start (for the suite's timing report). */
    public Duration startTime() {
        return startTime;
    }

    /** Kills the gateway now (SIGKILL); {@link #restartGateway()} brings it back. */
    public void killGateway() {
        gateway.destroyForcibly();
        try {
            gateway.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the gateway again on the same port after {@link #killGateway()}; waits until it answers. */
    public void restartGateway() {
        if (gateway.isAlive()) {
            return;
        }
        try {
            startGateway();
            writePidFile();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart radosgw", e);
        }
    }

    @Override
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + gatewayPort);
    }

    @Override
    public String accessKey() {
        return ACCESS_KEY;
    }

    @Override
    public String secretKey() {
        return SECRET_KEY;
    }

    /** radosgw 16 rejects the SDK's default trailing checksums. */
    @Override
    public S3Config.ChecksumMode checksumMode() {
        return S3Config.ChecksumMode.WHEN_REQUIRED;
    }

    @Override
    public String createBucket() {
        String name = TestS3Server.freshBucketName();
        try (S3Client client = adminClient()) {
            client.createBucket(b -> b.bucket(name));
        }
        return name;
    }

    /** A bucket with versioning on and no Object Lock. */
    public String createVersionedBucket() {
        String name = createBucket();
        try (S3Client client = adminClient()) {
            client.putBucketVersioning(b -> b.bucket(name).versioningConfiguration(v -> v.status("Enabled")));
        }
        return name;
    }

    /** A bucket created with Object Lock enabled (so versioned), without a default retention. */
    public String createLockedBucket() {
        String name = TestS3Server.freshBucketName();
        try (S3Client client = adminClient()) {
            client.createBucket(b -> b.bucket(name).objectLockEnabledForBucket(true));
        }
        return name;
    }

    private String logTails() {
        StringBuilder tails = new StringBuilder();
        try (var logs = Files.list(folder.resolve("log"))) {
            for (Path log : logs.sorted().toList()) {
                List<String> lines = Files.readAllLines(log);
                tails.append("--- ").append(log.getFileName()).append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()))).append('\n');
            }
        } catch (IOException | UncheckedIOException e) {
            tails.append("(logs unreadable: ").append(e.getMessage()).append(")");
        }
        return tails.toString();
    }

    /**
     * Kills the daemons (their state is thrown away with the folder, so no orderly shutdown is
     * needed). The shared server is closed by the JVM's exit; a test must not close it.
     */
    @Override
    public synchronized void close() {
        for (Process daemon : allDaemons()) {
            daemon.destroyForcibly();
        }
        for (Process daemon : allDaemons()) {
            try {
                daemon.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        daemons.clear();
        gateway = null;
        S3ProxyServer.deleteTree(folder);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for radosgw", e);
        }
    }
}
