package dev.cellar.repo;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The repository's secrets, created once at {@code init} and only ever stored wrapped: the data
 * key (encrypts every object), the id key (chunk ids) and the chunker seed (chunk boundaries).
 */
record KeyMaterial(byte[] dataKey, byte[] idKey, long chunkerSeed) {
    static final int LENGTH = 32 + 32 + 8;

    static KeyMaterial generate(SecureRandom random) {
        byte[] data = new byte[32];
        byte[] id = new byte[32];
        random.nextBytes(data);
        random.nextBytes(id);
        return new KeyMaterial(data, id, random.nextLong());
    }

    byte[] toBytes() {
        byte[] out = new byte[LENGTH];
        System.arraycopy(dataKey, 0, out, 0, 32);
        System.arraycopy(idKey, 0, out, 32, 32);
        for (int i = 0; i < 8; i++) {
            out[64 + i] = (byte) (chunkerSeed >>> (56 - 8 * i));
        }
        return out;
    }

    static KeyMaterial fromBytes(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("key material has " + bytes.length + " bytes, expected " + LENGTH);
        }
        long seed = 0;
        for (int i = 0; i < 8; i++) {
            seed = (seed << 8) | (bytes[64 + i] & 0xff);
        }
        return new KeyMaterial(Arrays.copyOfRange(bytes, 0, 32), Arrays.copyOfRange(bytes, 32, 64), seed);
    }

    @Override
    public String toString() {
        return "KeyMaterial[redacted]";
    }
}
