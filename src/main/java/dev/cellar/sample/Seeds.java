package dev.cellar.sample;

import java.util.SplittableRandom;

/**
 * Independent random streams derived from one seed, one per named purpose. Keeping streams
 * separate means changing how one table is generated never shifts the data of another.
 */
final class Seeds {
    private Seeds() {
    }

    static SplittableRandom stream(long seed, String purpose) {
        return new SplittableRandom(seedFor(seed, purpose));
    }

    static long seedFor(long seed, String purpose) {
        return mix(seed ^ (purpose.hashCode() * 0x9E3779B97F4A7C15L));
    }

    /** MurmurHash3's 64-bit finaliser: spreads nearby seeds far apart. */
    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
