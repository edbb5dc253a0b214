package dev.cellar.pipeline;

import dev.cellar.pipeline.AeadCipher.AuthenticationFailedException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AeadCipherTest {
    private static final String NAME = "chunks/ab/abcdef";

    private final AeadCipher cipher = new AeadCipher(key(1));
    private final byte[] plaintext = "COPY public.menu_items (id, name) FROM stdin;\n1\tespresso\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void openReturnsWhatWasSealed() {
        assertThat(cipher.open(cipher.seal(plaintext, NAME), NAME)).isEqualTo(plaintext);
    }

    @Test
    void emptyPlaintextRoundTrips() {
        assertThat(cipher.open(cipher.seal(new byte[0], NAME), NAME)).isEmpty();
    }

    @Test
    void sealedObjectHasVersionNonceAndTagOverhead() {
        assertThat(cipher.seal(plaintext, NAME)).hasSize(1 + 12 + plaintext.length + 16);
    }

    @Test
    void flippingAnySingleBitFailsAuthentication() {
        byte[] sealed = cipher.seal(plaintext, NAME);
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] tampered = sealed.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            int flipped = bit;
            assertThatThrownBy(() -> cipher.open(tampered, NAME))
                    .as("bit %d flipped", flipped)
                    .isInstanceOf(AuthenticationFailedException.class);
        }
    }

    @Test
    void truncatedObjectIsRejected() {
        byte[] sealed = cipher.seal(plaintext, NAME);
        for (int length : new int[] {0, 1, 12, 13, 28, sealed.length - 1}) {
            byte[] truncated = Arrays.copyOf(sealed, length);
            assertThatThrownBy(() -> cipher.open(truncated, NAME))
                    .as("truncated to %d bytes", length)
                    .isInstanceOf(AuthenticationFailedException.class);
        }
    }

    @Test
    void wrongAssociatedDataIsRejected() {
        byte[] sealed = cipher.seal(plaintext, NAME);
        assertThatThrownBy(() -> cipher.open(sealed, "chunks/ab/abcdeg"))
                .isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void wrongKeyIsRejected() {
        byte[] sealed = cipher.seal(plaintext, NAME);
        assertThatThrownBy(() -> new AeadCipher(key(2)).open(sealed, NAME))
                .isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void sealingTheSamePlaintextTwiceGivesDifferentCiphertexts() {
        byte[] first = cipher.seal(plaintext, NAME);
        byte[] second = cipher.seal(plaintext, NAME);

        assertThat(second).isNotEqualTo(first);
        assertThat(Arrays.copyOfRange(second, 1, 13)).isNotEqualTo(Arrays.copyOfRange(first, 1, 13));
    }

    @Test
    void keyOfWrongLengthIsRefused() {
        assertThatThrownBy(() -> new AeadCipher(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] key(long seed) {
        byte[] key = new byte[AeadCipher.KEY_BYTES];
        new Random(seed).nextBytes(key);
        return key;
    }

    @Test
    void aRotatedCipherSealsWithItsCurrentKeyAndOpensWhatTheFirstKeySealed() {
        AeadCipher rotated = new AeadCipher(java.util.Map.of(0, key(1), 7, key(2)), 7);
        byte[] old = cipher.seal(plaintext, NAME);
        byte[] sealed = rotated.seal(plaintext, NAME);

        assertThat(AeadCipher.keyIdOf(old)).isZero();
        assertThat(AeadCipher.keyIdOf(sealed)).isEqualTo(7);
        assertThat(sealed).hasSize(1 + 4 + 12 + plaintext.length + 16);
        assertThat(rotated.open(old, NAME)).isEqualTo(plaintext);
        assertThat(rotated.open(sealed, NAME)).isEqualTo(plaintext);
        assertThatThrownBy(() -> cipher.open(sealed, NAME))
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("data key 7");
    }

    @Test
    void everyBitOfAKeyIdObjectIsAuthenticated() {
        AeadCipher rotated = new AeadCipher(java.util.Map.of(0, key(1), 1, key(2), 3, key(3)), 1);
        byte[] sealed = rotated.seal(plaintext, NAME);
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] tampered = sealed.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            int flipped = bit;
            // bit 1 of the key id turns key 1 into key 3, which the cipher holds: the tag still refuses it
            assertThatThrownBy(() -> rotated.open(tampered, NAME))
                    .as("bit %d flipped", flipped)
                    .isInstanceOf(AuthenticationFailedException.class);
        }
    }

    @Test
    void aCipherWhoseCurrentKeyItDoesNotHoldIsRefused() {
        assertThatThrownBy(() -> new AeadCipher(java.util.Map.of(0, key(1)), 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
