package dev.cellar.restore;

import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Crc32cCombineTest {
    @Test
    void combinedPartsGiveTheCrcOfTheWholeAtEverySplit() {
        Random random = new Random(15);
        for (int round = 0; round < 200; round++) {
            byte[] whole = new byte[random.nextInt(5_000)];
            random.nextBytes(whole);
            int split = whole.length == 0 ? 0 : random.nextInt(whole.length + 1);

            int combined = Crc32cCombine.combine(crc(whole, 0, split), crc(whole, split, whole.length - split), whole.length - split);

            assertThat(combined).as("%d bytes split at %d", whole.length, split).isEqualTo(crc(whole, 0, whole.length));
        }
    }

    @Test
    void manyChunksFoldIntoTheFileCrc() {
        Random random = new Random(16);
        byte[] file = new byte[3 * 1024 * 1024 + 17];
        random.nextBytes(file);
        int crc = 0;
        for (int offset = 0; offset < file.length; ) {
            int length = Math.min(file.length - offset, 1 + random.nextInt(300_000));
            crc = Crc32cCombine.combine(crc, crc(file, offset, length), length);
            offset += length;
        }

        assertThat(crc).isEqualTo(crc(file, 0, file.length));
    }

    @Test
    void aChangedChunkChangesTheCombinedCrc() {
        byte[] a = new byte[4096];
        byte[] b = new byte[4096];
        new Random(17).nextBytes(a);
        new Random(18).nextBytes(b);
        int good = Crc32cCombine.combine(crc(a, 0, a.length), crc(b, 0, b.length), b.length);
        b[100] ^= 0x01;

        assertThat(Crc32cCombine.combine(crc(a, 0, a.length), crc(b, 0, b.length), b.length)).isNotEqualTo(good);
    }

    @Test
    void anEmptyPartLeavesTheCrcAsItIs() {
        byte[] a = "pg_control".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        assertThat(Crc32cCombine.combine(crc(a, 0, a.length), crc(a, 0, 0), 0)).isEqualTo(crc(a, 0, a.length));
        assertThat(Crc32cCombine.combine(0, crc(a, 0, a.length), a.length)).isEqualTo(crc(a, 0, a.length));
    }

    private static int crc(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }
}
