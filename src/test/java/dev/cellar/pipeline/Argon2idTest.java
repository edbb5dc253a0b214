package dev.cellar.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The system's libargon2 and BouncyCastle must derive the same key, or a slot written on a machine
 * with the library would not open on one without it (and the reverse).
 */
class Argon2idTest {

    @Test
    void theSystemLibraryIsUsedWhereItIsInstalled() {
        // .ci/run installs libargon2-1: on the machines that run this suite the fast path must be the one taken
        assertThat(Argon2id.usesSystemLibrary()).as("libargon2 loaded through JNA").isTrue();
    }

    @Test
    void bothImplementationsDeriveTheSameKeyAtEveryCostCellarUses() {
        Random random = new Random(20261203);
        // the repository's slots (64 MiB, 3 passes, 2 lanes), the web's passwords (19 MiB, 2, 1), and odd shapes
        int[][] costs = {{64 * 1024, 3, 2}, {19 * 1024, 2, 1}, {8 * 1024, 1, 4}, {256, 5, 1}, {1024, 2, 3}};
        for (int[] cost : costs) {
            for (int secretLength : new int[] {0, 1, 21, 64}) {
                byte[] secret = new byte[secretLength];
                byte[] salt = new byte[16];
                random.nextBytes(secret);
                random.nextBytes(salt);
                byte[] fromLibrary = Argon2id.derive(secret, salt, cost[0], cost[1], cost[2], 32);
                byte[] fromJava = Argon2id.javaDerive(secret, salt, cost[0], cost[1], cost[2], 32);
                assertThat(fromLibrary).as("m=%d t=%d p=%d, %d-byte secret", cost[0], cost[1], cost[2], secretLength)
                        .isEqualTo(fromJava);
            }
        }
    }

    @Test
    void aKnownAnswerFromTheReferenceImplementationsCommandLine() {
        // echo -n password | argon2 somesalt -id -t 2 -m 16 -p 4 -l 32 -r (Debian's argon2 package, the reference CLI; v=19)
        byte[] expected = HexFormat.of().parseHex("1a9677b0afe81fda7b548895e7a1bfeb8668ffc19a530e37e088a668fab1c02a");
        byte[] password = "password".getBytes(StandardCharsets.US_ASCII);
        byte[] salt = "somesalt".getBytes(StandardCharsets.US_ASCII);
        assertThat(Argon2id.derive(password, salt, 1 << 16, 2, 4, 32)).isEqualTo(expected);
        assertThat(Argon2id.javaDerive(password, salt, 1 << 16, 2, 4, 32)).isEqualTo(expected);
    }

    @Test
    void aSingleChangedByteOfTheSecretOrSaltChangesTheKey() {
        byte[] secret = "correct horse".getBytes(StandardCharsets.UTF_8);
        byte[] salt = new byte[16];
        byte[] key = Argon2id.derive(secret, salt, 1024, 2, 2, 32);
        byte[] otherSecret = secret.clone();
        otherSecret[0] ^= 1;
        byte[] otherSalt = salt.clone();
        otherSalt[15] ^= 1;
        assertThat(Argon2id.derive(otherSecret, salt, 1024, 2, 2, 32)).isNotEqualTo(key);
        assertThat(Argon2id.derive(secret, otherSalt, 1024, 2, 2, 32)).isNotEqualTo(key);
    }
}
