package dev.cellar.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cellar.pg.TableChecksums;
import dev.cellar.pipeline.AeadCipher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cellar key rotate} and {@code cellar key reencrypt} through the real command line, on a
 * repository holding a physical backup, archived WAL, logical backups and a WORM-locked one: a
 * re-encryption killed with SIGKILL half-way is finished by running it again, the locked backup is
 * listed as not yet re-encrypted, and every backup restores exactly afterwards (the physical one
 * through the re-encrypted WAL to the latest commit).
 */
class KeyRotationIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DB = "shop";

    private static ArchivedCluster archived;
    private static Path repo;
    private static String physical;
    private static String logical;
    private static String locked;
    private static Map<String, String> atLogical;

    @BeforeAll
    static void backupsOfEveryKindAndALockedOne() throws Exception {
        archived = ArchivedCluster.start(Map.of());
        repo = archived.home().resolve("repo");
        archived.cluster().createDatabase(DB);
        archived.cluster().execute(DB, "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric, note text); "
                + "INSERT INTO orders SELECT g, g * 1.25, md5(g::text) || repeat(md5((g * 7)::text), 4) FROM generate_series(1, 150000) g");
        physical = JSON.readTree(archived.cellarOk("backup", "physical", "--json").stdout()).path("id").asText();
        logical = logicalBackup();
        atLogical = checksums(archived.cluster().port(), DB);
        locked = JSON.readTree(archived.cellarWith("CELLAR_WORM_MODE", "compliance", "backup", "logical", "-d", DB, "--json")
                .stdout()).path("manifest").path("id").asText();
        assertThat(locked).isNotEmpty();
        archived.cluster().execute(DB, "INSERT INTO orders SELECT g, g, 'after the backups' FROM generate_series(150001, 160000) g");
        archived.switchAndAwaitArchived(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (archived != null) {
            archived.close();
        }
    }

    @Test
    void rotateThenAReencryptionKilledHalfWayAndRunAgainLeavesOnlyTheLockedBackupOnTheOldKeyAndEverythingRestores() throws Exception {
        JsonNode rotated = JSON.readTree(archived.cellarOk("key", "rotate", "--json").stdout());
        assertThat(rotated.path("added").path("id").asInt()).isEqualTo(1);
        assertThat(rotated.path("previousKeyId").asInt()).isZero();
        String afterRotation = logicalBackup();
        assertThat(keyIdOf(repo.resolve("backups/" + afterRotation))).as("a backup after the rotation").isEqualTo(1);
        assertThat(keyIdOf(repo.resolve("backups/" + logical))).as("a backup before it, until re-encrypted").isZero();

        killReencryptionHalfWay();

        CellarCli.Run again = archived.cellarOk("key", "reencrypt", "--json");
        JsonNode result = JSON.readTree(again.stdout()).path("copies").get(0).path("result");
        assertThat(result.path("reencrypted").asLong()).as(again.stdout()).isPositive();
        assertThat(result.path("alreadyCurrent").asLong()).as("the second run skipped what the first had done").isPositive();
        assertThat(result.path("damaged")).isEmpty();
        assertThat(result.path("lockedBackups").findValuesAsText("key")).containsExactly(locked);
        long stillOld = result.path("olderKeyObjects").path("0").asLong();
        assertThat(stillOld).isEqualTo(result.path("lockedObjects").asLong()).isPositive();
        assertThat(objectsByKey().get(0)).as("only the locked backup's objects keep key 0").isEqualTo(stillOld);
        assertThat(keyIdOf(repo.resolve("backups/" + locked))).isZero();
        assertThat(keyIdOf(repo.resolve("summaries/" + locked))).as("a locked backup's summary keeps its key with it").isZero();
        assertThat(keyIdOf(repo.resolve("summaries/" + logical))).as("a summary follows its re-encrypted manifest").isEqualTo(1);
        assertThat(result.path("summariesResealed").asLong()).isPositive();
        assertThat(keyIdOf(repo.resolve("backups/" + logical))).isEqualTo(1);

        CellarCli.Run human = archived.cellarOk("key", "reencrypt");
        assertThat(human.stdout()).contains("re-encrypted 0 of").contains("backup " + locked + " locked until")
                .contains("not yet re-encrypted").contains("still on older keys: data key 0: " + stillOld);

        // a second rotation with --reencrypt does both at once; key list shows the keys, never their bytes
        JsonNode both = JSON.readTree(archived.cellarOk("key", "rotate", "--reencrypt", "--json").stdout());
        assertThat(both.path("rotated").path("added").path("id").asInt()).isEqualTo(2);
        JsonNode second = both.path("reencrypted").path("copies").get(0).path("result");
        assertThat(second.path("currentKeyId").asInt()).isEqualTo(2);
        assertThat(second.path("olderKeyObjects").path("0").asLong()).isEqualTo(stillOld);
        assertThat(second.path("olderKeyObjects").has("1")).as(second.toString()).isFalse();
        JsonNode keys = JSON.readTree(archived.cellarOk("key", "list", "--json").stdout());
        assertThat(keys.path("dataKeys").findValuesAsText("id")).containsExactly("0", "1", "2");
        assertThat(keys.path("dataKeys").get(2).path("current").asBoolean()).isTrue();
        assertThat(keys.toString()).doesNotContain("keyBase64");

        archived.cellarOk("verify", "--all");
        Map<String, String> now = checksums(archived.cluster().port(), DB);
        for (String id : List.of(logical, locked)) {
            archived.cellarOk("restore", "logical", id, "-d", DB, "--target-db", "from_" + id.substring(id.length() - 6));
            assertThat(checksums(archived.cluster().port(), "from_" + id.substring(id.length() - 6))).as(id).isEqualTo(atLogical);
        }
        archived.cellarOk("restore", "logical", afterRotation, "-d", DB, "--target-db", "after_rotation");
        assertThat(checksums(archived.cluster().port(), "after_rotation")).isEqualTo(now);
        Path dir = archived.restoreDir("rotated-pitr");
        int port = ArchivedCluster.freePort();
        JsonNode pitr = JSON.readTree(archived.cellarOk("restore", "pitr", "-D", dir.toString(), "--backup", physical, "--start",
                "--port", Integer.toString(port), "--archive-mode", "off", "--json").stdout());
        assertThat(pitr.path("backupId").asText()).isEqualTo(physical);
        assertThat(checksums(port, DB)).as("the physical backup replayed through re-encrypted WAL to the latest commit").isEqualTo(now);
        archived.stopRestored(dir);
    }

    /**
     * Starts a re-encryption and kills its JVM with SIGKILL as soon as its first object is on the
     * new key (the files are polled every few milliseconds, reading only each object's first bytes).
     */
    private static void killReencryptionHalfWay() throws Exception {
        long before = objectsByKey().getOrDefault(1, 0L);
        Process process = archived.startCellar("key", "reencrypt", "--jobs", "1");
        Instant deadline = Instant.now().plusSeconds(60);
        while (objectsByKey().getOrDefault(1, 0L) == before && process.isAlive() && Instant.now().isBefore(deadline)) {
            Thread.sleep(2);
        }
        ProcessHandle jvm = Stream.concat(Stream.of(process.toHandle()), process.descendants())
                .filter(p -> p.info().command().orElse("").endsWith("/java")).findFirst().orElse(null);
        assertThat(jvm).as("the re-encryption was still running: " + CellarCli.stderrSoFar(process)).isNotNull();
        jvm.destroyForcibly();
        process.waitFor();
        assertThat(objectsByKey().getOrDefault(1, 0L)).as("the killed run had re-encrypted something").isGreaterThan(before);
    }

    /** How many chunk, manifest and WAL objects are sealed with each data key, read from the files. */
    private static Map<Integer, Long> objectsByKey() throws IOException {
        Map<Integer, Long> counts = new TreeMap<>();
        for (String folder : List.of("chunks", "backups", "wal")) {
            try (Stream<Path> files = Files.walk(repo.resolve(folder))) {
                for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                    if (!file.toString().endsWith(".partial")) {
                        counts.merge(folder.equals("wal") ? walBodyKeyId(file) : keyIdOf(file), 1L, Long::sum);
                    }
                }
            }
        }
        return counts;
    }

    private static int keyIdOf(Path file) throws IOException {
        return AeadCipher.keyIdOf(firstBytes(file, 0));
    }

    /** A WAL object's body follows a 4-byte length and the sealed header. */
    private static int walBodyKeyId(Path file) throws IOException {
        int headerLength = java.nio.ByteBuffer.wrap(firstBytes(file, 0)).getInt();
        return AeadCipher.keyIdOf(firstBytes(file, 4 + headerLength));
    }

    /** The 5 bytes at {@code offset}: a sealed object's version and key id. */
    private static byte[] firstBytes(Path file, long offset) throws IOException {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(5);
            while (bytes.hasRemaining() && channel.read(bytes, offset + bytes.position()) > 0) {
                // read until 5 bytes or the end
            }
            return java.util.Arrays.copyOf(bytes.array(), bytes.position());
        }
    }

    private static String logicalBackup() throws Exception {
        return JSON.readTree(archived.cellarOk("backup", "logical", "-d", DB, "--json").stdout()).path("manifest").path("id").asText();
    }

    private static Map<String, String> checksums(int port, String database) throws Exception {
        try (Connection c = ArchivedCluster.connect(port, database)) {
            return TableChecksums.of(c);
        }
    }
}
