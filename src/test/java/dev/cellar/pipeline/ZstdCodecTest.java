package dev.cellar.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ZstdCodecTest {
    private final ZstdCodec codec = new ZstdCodec(3);

    @Test
    void compressibleDataIsStoredCompressedAndDecodes() {
        byte[] data = "1\tespresso\t2.50\n".repeat(4000).getBytes(StandardCharsets.UTF_8);

        byte[] encoded = codec.encode(data, 0, data.length);

        assertThat(encoded[0]).isEqualTo(ZstdCodec.ZSTD);
        assertThat(encoded.length).isLessThan(data.length / 10);
        assertThat(ZstdCodec.decode(encoded, data.length)).isEqualTo(data);
    }

    @Test
    void randomDataIsStoredRawAndDecodes() {
        byte[] data = random(64 * 1024);

        byte[] encoded = codec.encode(data, 0, data.length);

        assertThat(encoded[0]).isEqualTo(ZstdCodec.RAW);
        assertThat(encoded).hasSize(data.length + 1);
        assertThat(ZstdCodec.decode(encoded, data.length)).isEqualTo(data);
    }

    @Test
    void encodesOnlyTheGivenSliceOfTheBuffer() {
        byte[] buffer = "xxxxhello, hello, hello, hello, hello, hello, hello!yyyy".getBytes(StandardCharsets.UTF_8);
        int length = buffer.length - 8;

        byte[] decoded = ZstdCodec.decode(codec.encode(buffer, 4, length), length);

        assertThat(new String(decoded, StandardCharsets.UTF_8)).isEqualTo("hello, hello, hello, hello, hello, hello, hello!");
    }

    @Test
    void emptyChunkRoundTrips() {
        assertThat(ZstdCodec.decode(codec.encode(new byte[0], 0, 0), 0)).isEmpty();
    }

    @Test
    void compressedChunkWithWrongExpectedLengthFailsToDecode() {
        byte[] data = "abcabcabc".repeat(1000).getBytes(StandardCharsets.UTF_8);
        byte[] encoded = codec.encode(data, 0, data.length);

        assertThatThrownBy(() -> ZstdCodec.decode(encoded, data.length + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ZstdCodec.decode(encoded, data.length - 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rawChunkWithWrongExpectedLengthFailsToDecode() {
        byte[] data = random(1000);
        byte[] encoded = codec.encode(data, 0, data.length);

        assertThatThrownBy(() -> ZstdCodec.decode(encoded, data.length + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ZstdCodec.decode(encoded, data.length - 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownFormatByteIsRejected() {
        assertThatThrownBy(() -> ZstdCodec.decode(new byte[] {7, 1, 2}, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown chunk encoding 7");
    }

    @Test
    void emptyEncodingIsRejected() {
        assertThatThrownBy(() -> ZstdCodec.decode(new byte[0], 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void levelOutsideOneToNineteenIsRefused() {
        assertThatThrownBy(() -> new ZstdCodec(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ZstdCodec(20)).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return bytes;
    }
}
