package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.keys.FakeKmsService;
import dev.cellar.pg.PgBinaries;
import dev.cellar.pg.TableChecksums;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A repository created with a passphrase, holding a logical and a physical backup, gains a key
 * slot on a real PKCS#11 token (SoftHSM2, initialised in a temporary folder through
 * {@code SOFTHSM2_CONF}) and a KMS slot, then loses its passphrase slot; unlocked by the HSM alone
 * and then by KMS alone, every backup restores exactly. A wrong PIN and an unreachable KMS stop a
 * restore before any work, each with its own exit code; the last slot is never removed; no PIN,
 * passphrase or KMS secret shows in a child's command line, in the output or in the audit trail.
 * AWS KMS cannot run here: the KMS slot is tested against {@link FakeKmsService}, a local
 * stand-in in test code speaking the KMS JSON protocol subset Cellar uses and checking SigV4.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeySlotsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PIN = "hsm-pin-4711-cellar";
    private static final String SO_PIN = "hsm-so-pin-0815";
    private static final String HSM_LABEL = "cellar-it";
    private static final String KMS_KEY = "alias/cellar-it";
    private static final String SHOP = "shop";

    private FakeKmsService kms;
    private ArchivedCluster archived;
    private Path keys;
    private CellarCli cli;
    private Path base;
    private Path hsm;
    private Path kmsOnly;
    private Map<String, String> logicalChecksums;
    private long customersAtPhysicalBackup;
    private final List<CellarCli.Run> runs = new CopyOnWriteArrayList<>();
    private final Set<String> secretsSeenInCommandLines = ConcurrentHashMap.newKeySet();
    private volatile boolean scanning;
    private Thread scanner;

    @BeforeAll
    void aPassphraseRepositoryGainsAnHsmAndAKmsSlotAndLosesItsPassphraseSlot() throws Exception {
        assumeTrue(onPath("softhsm2-util"), "softhsm2 is not installed (apt-get install softhsm2): the HSM key slot tests are skipped");
        kms = FakeKmsService.start();
        kms.createKey(KMS_KEY);
        keys = ServerUser.newFolder("cellar-hsm");
        Path conf = keys.resolve("softhsm2.conf");
        Files.createDirectories(keys.resolve("tokens"));
        Files.writeString(conf, "directories.tokendir = " + keys.resolve("tokens") + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        writeSecret(keys.resolve("pin"), PIN);
        writeSecret(keys.resolve("wrong-pin"), "not-the-pin");
        ServerUser.giveAway(keys);
        Map<String, String> env = new HashMap<>();
        env.put("SOFTHSM2_CONF", conf.toString());
        env.put("KMS_TEST_ACCESS_KEY_ID", FakeKmsService.ACCESS_KEY_ID);
        env.put("KMS_TEST_SECRET_ACCESS_KEY", FakeKmsService.SECRET_ACCESS_KEY);
        initToken(conf);
        startScanningCommandLines();

        archived = ArchivedCluster.start(Map.of(), RepositoryPlacement.folder(), PgBinaries.locate(null), env);
        cli = new CellarCli(env).asServerUser();
        archived.cluster().createDatabase(SHOP);
        archived.cluster().execute(SHOP, """
                CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
                CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers, total numeric(10,2));
                INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 3000) g;
                INSERT INTO orders SELECT g, 1 + g % 3000, g * 1.25 FROM generate_series(1, 9000) g;
                """);
        try (Connection c = archived.cluster().connect(SHOP)) {
            logicalChecksums = TableChecksums.of(c);
        }
        record(archived.cellarOk("backup", "logical", "-d", SHOP));
        archived.cluster().execute(SHOP, "INSERT INTO customers VALUES (3001, 'before the physical backup')");
        record(archived.cellarOk("backup", "physical"));
        customersAtPhysicalBackup = 3001;
        archived.cluster().execute(SHOP, "INSERT INTO customers VALUES (3002, 'after the physical backup')");
        archived.switchAndAwaitArchived(Duration.ofSeconds(60));

        String original = Files.readString(archived.config());
        String settings = "repository:\n  pkcs11:\n    pin-file: " + keys.resolve("pin") + "\n"
                + "  kms:\n    region: eu-west-1\n    endpoint: " + kms.endpoint() + "\n"
                + "    access-key-id-env: KMS_TEST_ACCESS_KEY_ID\n    secret-access-key-env: KMS_TEST_SECRET_ACCESS_KEY\n";
        base = config("base.yaml", original.replace("repository:\n", settings));
        String withoutPassphrase = original.replaceAll("  passphrase-file: .*\n", "").replace("repository:\n", settings);
        hsm = config("hsm.yaml", withoutPassphrase.replace("  pkcs11:\n", "  pkcs11:\n    key-label: " + HSM_LABEL + "\n"));
        kmsOnly = config("kms.yaml", withoutPassphrase.replace("  kms:\n", "  kms:\n    key-id: " + KMS_KEY + "\n"));

        ok(base, "key", "add", "--pkcs11", "--label", HSM_LABEL);
        JsonNode addedKms = JSON.readTree(ok(base, "key", "add", "--kms", KMS_KEY, "--json").stdout());
        assertThat(addedKms.get("added").get("kind").asText()).isEqualTo("kms");
        JsonNode slots = JSON.readTree(ok(base, "key", "list", "--json").stdout()).get("slots");
        assertThat(slots).extracting(s -> s.get("kind").asText()).containsExactlyInAnyOrder("passphrase", "pkcs11", "kms");
        String passphraseSlot = idOfKind(slots, "passphrase");
        CellarCli.Run removed = ok(base, "key", "remove", passphraseSlot);
        assertThat(removed.stdout()).contains("unlocked by the slot removed");
    }

    @AfterAll
    void stop() throws InterruptedException {
        scanning = false;
        if (scanner != null) {
            scanner.join();
        }
        if (archived != null) {
            archived.close();
        }
        if (kms != null) {
            kms.close();
        }
    }

    @Test
    @Order(1)
    void unlockedByTheHsmAloneEveryBackupRestoresExactly() throws Exception {
        assertThat(run(base, "list").exitCode()).as("the passphrase slot is gone").isEqualTo(5);
        JsonNode listed = JSON.readTree(ok(hsm, "key", "list", "--json").stdout());
        assertThat(listed.get("slots")).extracting(s -> s.get("kind").asText()).containsExactlyInAnyOrder("pkcs11", "kms");
        assertThat(listed.get("slots")).filteredOn(s -> s.get("kind").asText().equals("pkcs11"))
                .allMatch(s -> s.get("unlockedCommand").asBoolean() && s.get("needs").asText().contains(HSM_LABEL));

        restoresExactly(hsm, "shop_by_hsm");
    }

    @Test
    @Order(2)
    void unlockedByKmsAloneEveryBackupRestoresExactly() throws Exception {
        restoresExactly(kmsOnly, "shop_by_kms");

        assertThat(kms.calls()).contains("Encrypt " + KMS_KEY, "Decrypt " + KMS_KEY);
        assertThat(kms.unsignedRequests()).isEmpty();
    }

    @Test
    @Order(3)
    void aWrongPinAndAnUnreachableKmsStopARestoreBeforeAnyWork() throws Exception {
        Path wrongPin = config("wrong-pin.yaml", Files.readString(hsm).replace(keys.resolve("pin").toString(), keys.resolve("wrong-pin").toString()));
        int deadPort = ArchivedCluster.freePort();
        String deadEndpoint = "http://127.0.0.1:" + deadPort;
        Path kmsDown = config("kms-down.yaml", Files.readString(kmsOnly).replace(kms.endpoint().toString(), deadEndpoint));

        CellarCli.Run refusedPin = run(wrongPin, "restore", "logical", "latest", "-d", SHOP, "--target-db", "shop_wrong_pin");
        CellarCli.Run unreachable = run(kmsDown, "restore", "logical", "latest", "-d", SHOP, "--target-db", "shop_kms_down");

        assertThat(refusedPin.exitCode()).as(refusedPin.toString()).isEqualTo(27);
        assertThat(refusedPin.stderr()).contains("refused the PIN").contains("CKR_PIN_INCORRECT").contains("HINT:");
        assertThat(unreachable.exitCode()).as(unreachable.toString()).isEqualTo(29);
        assertThat(unreachable.stderr()).contains(deadEndpoint).contains("cannot be reached").contains("repository.kms.endpoint");
        try (Connection c = archived.cluster().connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname IN ('shop_wrong_pin', 'shop_kms_down')")) {
            rs.next();
            assertThat(rs.getInt(1)).as("no database was created").isZero();
        }
        try (Stream<Path> locks = Files.list(archived.home().resolve("repo").resolve("locks"))) {
            assertThat(locks.toList()).as("no lock was left").isEmpty();
        }
    }

    @Test
    @Order(4)
    void theLastSlotIsNeverRemoved() throws Exception {
        JsonNode slots = JSON.readTree(ok(hsm, "key", "list", "--json").stdout()).get("slots");
        ok(hsm, "key", "remove", idOfKind(slots, "kms"));
        String hsmSlot = idOfKind(slots, "pkcs11");

        CellarCli.Run refused = run(hsm, "key", "remove", hsmSlot);

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(31);
        assertThat(refused.stderr()).contains("last key slot").contains("HINT: add another slot first");
        assertThat(JSON.readTree(ok(hsm, "key", "list", "--json").stdout()).get("slots")).extracting(s -> s.get("id").asText())
                .containsExactly(hsmSlot);
    }

    @Test
    @Order(5)
    void noSecretShowsInACommandLineTheOutputOrTheAuditTrail() throws Exception {
        CellarCli.Run audit = ok(hsm, "audit", "--json");
        assertThat(audit.stdout()).contains("key.add").contains("key.remove").contains(HSM_LABEL).contains(KMS_KEY);

        List<String> secrets = List.of(PIN, SO_PIN, ArchivedCluster.PASSPHRASE, FakeKmsService.SECRET_ACCESS_KEY);
        for (CellarCli.Run each : runs) {
            for (String secret : secrets) {
                assertThat(each.stdout()).doesNotContain(secret);
                assertThat(each.stderr()).doesNotContain(secret);
            }
        }
        assertThat(secretsSeenInCommandLines).as("secrets in /proc/<pid>/cmdline while Cellar ran").isEmpty();
        assertThat(runs.size()).isGreaterThan(15);
    }

    private void restoresExactly(Path config, String targetDatabase) throws Exception {
        ok(config, "restore", "logical", "latest", "-d", SHOP, "--target-db", targetDatabase);
        try (Connection c = archived.cluster().connect(targetDatabase)) {
            assertThat(TableChecksums.of(c)).isEqualTo(logicalChecksums);
        }
        Path dataDir = archived.restoreDir("pitr-" + targetDatabase);
        int port = ArchivedCluster.freePort();
        ok(config, "restore", "pitr", "-D", dataDir.toString(), "--target-immediate", "--start", "--port", Integer.toString(port),
                "--archive-mode", "off");
        try (Connection c = ArchivedCluster.connect(port, SHOP); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), max(id) FROM customers")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(customersAtPhysicalBackup);
            assertThat(rs.getLong(2)).isEqualTo(customersAtPhysicalBackup);
        } finally {
            archived.stopRestored(dataDir);
        }
    }

    private static String idOfKind(JsonNode slots, String kind) {
        for (JsonNode slot : slots) {
            if (slot.get("kind").asText().equals(kind)) {
                return slot.get("id").asText();
            }
        }
        throw new AssertionError("no " + kind + " slot in " + slots);
    }

    private CellarCli.Run run(Path config, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString()));
        return record(cli.run(all.toArray(String[]::new)));
    }

    private CellarCli.Run ok(Path config, String... args) {
        CellarCli.Run run = run(config, args);
        assertThat(run.exitCode()).as("cellar " + String.join(" ", args) + "\n" + run).isZero();
        return run;
    }

    private CellarCli.Run record(CellarCli.Run run) {
        runs.add(run);
        return run;
    }

    private Path config(String name, String yaml) throws IOException {
        Path file = archived.home().resolve(name);
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        ServerUser.giveAway(file);
        return file;
    }

    private static void writeSecret(Path file, String secret) throws IOException {
        Files.writeString(file, secret + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    /** The token, initialised as the server user (who runs Cellar): the test's own set-up, before the command-line scan starts. */
    private static void initToken(Path conf) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(ServerUser.commandPrefix());
        command.addAll(List.of("softhsm2-util", "--init-token", "--free", "--label", "cellar-it-token", "--pin", PIN, "--so-pin", SO_PIN));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SOFTHSM2_CONF", conf.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }

    /** Watches every process's command line while the test runs (Cellar's children come and go): a secret there is one too many. */
    private void startScanningCommandLines() {
        scanning = true;
        List<String> secrets = List.of(PIN, ArchivedCluster.PASSPHRASE, FakeKmsService.SECRET_ACCESS_KEY);
        scanner = new Thread(() -> {
            while (scanning) {
                File[] processes = new File("/proc").listFiles((dir, name) -> name.chars().allMatch(Character::isDigit));
                for (File process : processes == null ? new File[0] : processes) {
                    try {
                        String cmdline = Files.readString(process.toPath().resolve("cmdline"), StandardCharsets.ISO_8859_1);
                        secrets.stream().filter(cmdline::contains).forEach(secret -> secretsSeenInCommandLines.add(cmdline.replace('\0', ' ')));
                    } catch (IOException | RuntimeException gone) {
                        // the process ended while we looked
                    }
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "cmdline-scan");
        scanner.setDaemon(true);
        scanner.start();
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }
}
