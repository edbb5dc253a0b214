package dev.cellar.pipeline;

import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * CRC-32C as PostgreSQL's {@code backup_manifest} prints it: the four bytes of the value as
 * they lie in memory on a little-endian host (pg_checksum_final copies the uint32 out), in hex,
 * so 0x8b4d1aa4 reads "a41a4d8b".
 */
public final class Crc32cText {
    private Crc32cText() {
    }

    public static String of(CRC32C crc) {
        return of((int) crc.getValue());
    }

    /** The same for a CRC-32C value computed otherwise (combined from parts). */
    public static String of(int crc) {
        return HexFormat.of().toHexDigits(Integer.reverseBytes(crc));
    }
}
