package dev.cellar.backup;

/**
 * PostgreSQL's data page checksum ({@code pg_checksum_page} in
 * {@code src/include/storage/checksum_impl.h}): 32 parallel FNV-1a-like sums over the page read
 * as little-endian 32-bit words with the checksum field taken as zero, folded, mixed with the
 * block number and reduced to 1..65535 (zero means "no checksum").
 */
public final class PageChecksum {
    /** Offsets of the page header fields this class reads (PageHeaderData). */
    static final int PD_CHECKSUM = 8;
    static final int PD_UPPER = 14;

    private static final int N_SUMS = 32;
    private static final int FNV_PRIME = 16777619;
    private static final int[] BASE_OFFSETS = {
        0x5B1F36E9, 0xB8525960, 0x02AB50AA, 0x1DE66D2A, 0x79FF467A, 0x9BB9F8A3, 0x217E7CD2, 0x83E13D2C,
        0xF8D4474F, 0xE39EB970, 0x42C6AE16, 0x993216FA, 0x7B093B5D, 0x98DAFF3C, 0xF718902A, 0x0B1C9CDB,
        0xE58F764B, 0x187636BC, 0x5D7B3BB1, 0xE73DE7DE, 0x92BEC979, 0xCCA6C0B2, 0x304A0979, 0x85AA43D4,
        0x783125BB, 0x6CA8EAA2, 0xE407EAC6, 0x4B5CFC3E, 0x9FBF8C76, 0x15CA20BE, 0xF2CA9FD3, 0x959BD756,
    };

    private PageChecksum() {
    }

    /** The checksum PostgreSQL would store for the page at {@code offset} as block {@code blockNumber}. */
    public static int compute(byte[] data, int offset, int pageSize, long blockNumber) {
        int[] sums = BASE_OFFSETS.clone();
        int rows = pageSize / (4 * N_SUMS);
        int p = offset;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < N_SUMS; j++, p += 4) {
                // the word holding pd_checksum (low half) and pd_flags: the checksum counts as zero
                int value = p - offset == PD_CHECKSUM ? (data[p + 2] & 0xFF) << 16 | (data[p + 3] & 0xFF) << 24 : littleEndianInt(data, p);
                sums[j] = mix(sums[j], value);
            }
        }
        for (int round = 0; round < 2; round++) {
            for (int j = 0; j < N_SUMS; j++) {
                sums[j] = mix(sums[j], 0);
            }
        }
        int result = 0;
        for (int sum : sums) {
            result ^= sum;
        }
        result ^= (int) blockNumber;
        return (int) (Integer.toUnsignedLong(result) % 65535) + 1;
    }

    /** The checksum recorded in the page header. */
    public static int stored(byte[] data, int offset) {
        return (data[offset + PD_CHECKSUM] & 0xFF) | (data[offset + PD_CHECKSUM + 1] & 0xFF) << 8;
    }

    /** True for a page PostgreSQL has not initialised yet (pd_upper 0): it carries no checksum. */
    public static boolean isNew(byte[] data, int offset) {
        return data[offset + PD_UPPER] == 0 && data[offset + PD_UPPER + 1] == 0;
    }

    /** The page LSN (pd_lsn: two little-endian 32-bit halves, high first). */
    public static long lsn(byte[] data, int offset) {
        return (Integer.toUnsignedLong(littleEndianInt(data, offset)) << 32) | Integer.toUnsignedLong(littleEndianInt(data, offset + 4));
    }

    public static boolean verifies(byte[] data, int offset, int pageSize, long blockNumber) {
        return compute(data, offset, pageSize, blockNumber) == stored(data, offset);
    }

    private static int mix(int sum, int value) {
        int tmp = sum ^ value;
        return tmp * FNV_PRIME ^ (tmp >>> 17);
    }

    private static int littleEndianInt(byte[] data, int p) {
        return (data[p] & 0xFF) | (data[p + 1] & 0xFF) << 8 | (data[p + 2] & 0xFF) << 16 | (data[p + 3] & 0xFF) << 24;
    }
}
