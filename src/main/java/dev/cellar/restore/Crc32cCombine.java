package dev.cellar.restore;

/**
 * The CRC-32C of two byte runs laid end to end, from the CRC-32C of each and the second's length:
 * lets a file restored chunk by chunk, in whatever order the chunks arrive, be checked against
 * the one CRC-32C its backup recorded without reading it back. Arithmetic over GF(2) modulo the
 * Castagnoli polynomial (bit-reflected, as {@link java.util.zip.CRC32C} computes it).
 */
final class Crc32cCombine {
    /** 0x1EDC6F41, bit-reflected. */
    private static final int POLY = 0x82F63B78;
    /** POWERS[k] = x^(2^k) mod P, for every k a 63-bit length can need (8n = n * 2^3). */
    private static final int[] POWERS = new int[3 + 64];

    static {
        int p = 1 << 30; // x^1 in reflected order
        POWERS[0] = p;
        for (int k = 1; k < POWERS.length; k++) {
            p = multiply(p, p);
            POWERS[k] = p;
        }
    }

    private Crc32cCombine() {
    }

    /** The CRC-32C of A followed by B, given crc(A), crc(B) and B's length in bytes. */
    static int combine(int crcA, int crcB, long lengthB) {
        if (lengthB < 0) {
            throw new IllegalArgumentException("negative length " + lengthB);
        }
        return multiply(xPower8n(lengthB), crcA) ^ crcB;
    }

    /** x^(8n) mod P: shifting A's remainder past n zero bytes. */
    private static int xPower8n(long n) {
        int p = 1 << 31; // x^0
        int k = 3;       // 8n = n * 2^3
        while (n != 0) {
            if ((n & 1) != 0) {
                p = multiply(POWERS[k], p);
            }
            n >>>= 1;
            k++;
        }
        return p;
    }

    /** a * b mod P, both bit-reflected (the highest bit is x^0). */
    private static int multiply(int a, int b) {
        int m = 1 << 31;
        int product = 0;
        while (m != 0) {
            if ((a & m) != 0) {
                product ^= b;
            }
            m >>>= 1;
            b = (b & 1) != 0 ? (b >>> 1) ^ POLY : b >>> 1;
        }
        return product;
    }
}
