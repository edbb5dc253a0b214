package dev.cellar.backup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PageChecksumTest {
    /** A page of bytes (i*31+7) mod 251; expected values from PostgreSQL 15's pageinspect page_checksum(). */
    private static byte[] patternPage() {
        byte[] page = new byte[8192];
        for (int i = 0; i < page.length; i++) {
            page[i] = (byte) ((i * 31 + 7) % 251);
        }
        return page;
    }

    @Test
    void checksumEqualsPostgresForBlockZeroAndALargeBlockNumber() {
        assertThat(PageChecksum.compute(patternPage(), 0, 8192, 0)).isEqualTo(29856);
        assertThat(PageChecksum.compute(patternPage(), 0, 8192, 123457)).isEqualTo(-27935 & 0xFFFF);
    }

    @Test
    void storedChecksumFieldDoesNotTakePartInTheComputation() {
        byte[] page = patternPage();
        page[8] = 0;
        page[9] = 0;
        assertThat(PageChecksum.compute(page, 0, 8192, 0)).isEqualTo(29856);
    }

    @Test
    void pageWithItsOwnChecksumVerifiesAndAFlippedByteDoesNot() {
        byte[] block = new byte[3 * 8192];
        System.arraycopy(patternPage(), 0, block, 8192, 8192);
        int sum = PageChecksum.compute(block, 8192, 8192, 41);
        block[8192 + 8] = (byte) sum;
        block[8192 + 9] = (byte) (sum >>> 8);
        assertThat(PageChecksum.verifies(block, 8192, 8192, 41)).isTrue();
        assertThat(PageChecksum.verifies(block, 8192, 8192, 42)).as("block number is part of the checksum").isFalse();
        block[8192 + 4000] ^= 0x10;
        assertThat(PageChecksum.verifies(block, 8192, 8192, 41)).isFalse();
    }

    @Test
    void headerFieldsAreReadLittleEndian() {
        byte[] page = new byte[8192];
        page[0] = 0x01; // xlogid = 1
        page[4] = 0x28; // xrecoff = 0x28
        page[14] = 0x10; // pd_upper = 16
        assertThat(PageChecksum.lsn(page, 0)).isEqualTo((1L << 32) | 0x28);
        assertThat(PageChecksum.isNew(page, 0)).isFalse();
        assertThat(PageChecksum.isNew(new byte[8192], 0)).isTrue();
    }

    @Test
    void relationFileNamesAreRecognisedOnlyWhereRelationsLive() {
        assertThat(RelationFile.of("base/5/16384")).isEqualTo(new RelationFile(16384, "main", 0));
        assertThat(RelationFile.of("base/5/16384_vm")).isEqualTo(new RelationFile(16384, "vm", 0));
        assertThat(RelationFile.of("base/5/16384.2")).isEqualTo(new RelationFile(16384, "main", 2));
        assertThat(RelationFile.of("global/1262")).isEqualTo(new RelationFile(1262, "main", 0));
        assertThat(RelationFile.of("pg_tblspc/16400/PG_15_202209061/5/16401_init")).isEqualTo(new RelationFile(16401, "init", 0));
        assertThat(RelationFile.of("base/5/pg_filenode.map")).isNull();
        assertThat(RelationFile.of("global/pg_control")).isNull();
        assertThat(RelationFile.of("pg_xact/0000")).isNull();
        assertThat(RelationFile.of("base/5/t3_16384")).isNull();
    }
}
