package dev.cellar.repo;

import dev.cellar.pipeline.ChunkerParameters;
import java.time.Instant;

/**
 * The plaintext {@code cellar.json} at the repository root: enough for any Cellar version to
 * recognise the repository, refuse a format it does not know, and find how it was built.
 */
public record RepositoryHeader(
        String magic,
        int formatVersion,
        String repositoryId,
        Instant createdAt,
        String cipher,
        String chunkIdAlgorithm,
        String compression,
        ChunkerParameters chunker) {

    public static final String MAGIC = "cellar-repository";
    public static final int FORMAT_VERSION = 1;
    static final String KEY = RepositoryLayout.HEADER;

    static RepositoryHeader create(String repositoryId, Instant now, ChunkerParameters chunker) {
        return new RepositoryHeader(MAGIC, FORMAT_VERSION, repositoryId, now,
                "AES-256-GCM", "HMAC-SHA256", "zstd", chunker);
    }
}
