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
    /**
     * The format new repositories are created with. Format 2 seals manifests compressed
     * ({@link ManifestPlaintext}); everything else is as in format 1. A repository keeps the
     * format it was created with, and its copies take it from it, so a Cellar that reads only
     * format 1 keeps reading the repositories it wrote.
     */
    public static final int FORMAT_VERSION = 2;
    public static final int FIRST_FORMAT_VERSION = 1;
    private static final int COMPRESSED_MANIFESTS_SINCE = 2;
    static final String KEY = RepositoryLayout.HEADER;

    /** Whether this Cellar reads the repository's format. */
    boolean readable() {
        return formatVersion >= FIRST_FORMAT_VERSION && formatVersion <= FORMAT_VERSION;
    }

    boolean compressesManifests() {
        return formatVersion >= COMPRESSED_MANIFESTS_SINCE;
    }

    static RepositoryHeader create(String repositoryId, Instant now, ChunkerParameters chunker) {
        return new RepositoryHeader(MAGIC, FORMAT_VERSION, repositoryId, now,
                "AES-256-GCM", "HMAC-SHA256", "zstd", chunker);
    }
}
