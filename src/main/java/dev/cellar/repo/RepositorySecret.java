package dev.cellar.repo;

import java.util.Arrays;

/**
 * The operator's secret that unlocks a repository: a passphrase or the bytes of a key file.
 * Callers should {@link #wipe()} it once the repository is open.
 */
public final class RepositorySecret {
    public static final String PASSPHRASE = "passphrase";
    public static final String KEY_FILE = "key-file";

    private final byte[] bytes;
    private final String kind;

    private RepositorySecret(byte[] bytes, String kind) {
        this.bytes = bytes;
        this.kind = kind;
    }

    public static RepositorySecret passphrase(char[] passphrase) {
        byte[] utf8 = new String(passphrase).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new RepositorySecret(utf8, PASSPHRASE);
    }

    public static RepositorySecret keyFile(byte[] content) {
        return new RepositorySecret(content.clone(), KEY_FILE);
    }

    byte[] bytes() {
        return bytes;
    }

    public String kind() {
        return kind;
    }

    public void wipe() {
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public String toString() {
        return "RepositorySecret[" + kind + ", redacted]";
    }
}
