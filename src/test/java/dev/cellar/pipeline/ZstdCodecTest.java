package dev.cellar.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ZstdCodecTest {
    private final ZstdCodec codec = new ZstdCodec(3);

    @Test
    void highlyCompressibleChunksUseTheFastLevelAndOrdinaryTextTheConfiguredOne() {
        ZstdCodec level6 = new ZstdCodec(6);
        byte[] padded = ("1\t1\t0\t" + " ".repeat(84) + "\n").repeat(5000).getBytes(StandardCharsets.UTF_8);
        byte[] text = wordSoup(400_000, 11);

        assertThat(payload(level6.encode(padded, 0, padded.length))).isEqualTo(zstd(padded, ZstdCodec.FAST_LEVEL));
        assertThat(payload(level6.encode(text, 0, text.length))).isEqualTo(zstd(text, 6));
        assertThat(ZstdCodec.decode(level6.encode(padded, 0, padded.length), padded.length)).isEqualTo(padded);
        assertThat(ZstdCodec.decode(level6.encode(text, 0, text.length), text.length)).isEqualTo(text);
    }

    private static byte[] payload(byte[] encoded) {
        return java.util.Arrays.copyOfRange(encoded, 1, encoded.length);
    }

    private static byte[] zstd(byte[] data, int level) {
        try (com.github.luben.zstd.ZstdCompressCtx ctx = new com.github.luben.zstd.ZstdCompressCtx()) {
            return ctx.setLevel(level).compress(data);
        }
    }

    /** Text like a table dump's: words drawn at random, so it compresses a few times, not fifty. */
    private static byte[] wordSoup(int size, long seed) {
        String[] words = {"espresso", "latte", "order", "delivered", "Main Street", "table", "cash", "card", "refund",
                "cappuccino", "Berlin", "Lisbon", "2026-10-31", "12.50", "muffin", "pending", "kitchen", "guest"};
        Random random = new Random(seed);
        StringBuilder out = new StringBuilder(size);
        while (out.length() < size) {
            out.append(random.nextInt(1_000_000)).append('\t').append(words[random.nextInt(words.length)]).append(' ')
                    .append(words[random.nextInt(words.length)]).append('\t').append(random.nextInt(10_000) / 100.0).append('\n');
        }
        return out.substring(0, size).getBytes(StandardCharsets.UTF_8);
    }

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
    void framesOfConsecutivePiecesDecodeAsOneAndDoNotShrinkToRaw() {
        byte[] text = "1\tespresso\t2.50\n".repeat(6000).getBytes(StandardCharsets.UTF_8);
        int half = text.length / 2;

        byte[] joined = ZstdCodec.encodeFromFrames(java.util.List.of(codec.frame(text, 0, half), codec.frame(text, half, text.length - half)), text);

        assertThat(joined.length).isLessThan(text.length / 10);
        assertThat(ZstdCodec.decode(joined, text.length)).isEqualTo(text);
        assertThatThrownBy(() -> ZstdCodec.decode(joined, text.length - 1)).isInstanceOf(IllegalArgumentException.class);
        byte[] noise = random(64 * 1024);
        byte[] raw = ZstdCodec.encodeFromFrames(java.util.List.of(codec.frame(noise, 0, 32 * 1024), codec.frame(noise, 32 * 1024, 32 * 1024)), noise);
        assertThat(raw).hasSize(noise.length + 1).isEqualTo(codec.encode(noise, 0, noise.length));
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
