package dev.cellar.expire;

import dev.cellar.wal.WalFileName;

/**
 * Stored size of objects, asked only for the ones a plan would delete (so estimating what a plan
 * frees costs one size query per deleted object, not one per object in the repository).
 */
public interface StoredSizes {
    long chunk(String chunkId);

    long wal(WalFileName file);

    /** Sizes unknown: every estimate is zero. */
    StoredSizes NONE = new StoredSizes() {
        @Override
        public long chunk(String chunkId) {
            return 0;
        }

        @Override
        public long wal(WalFileName file) {
            return 0;
        }
    };
}
