package dev.cellar.pipeline;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32C;

/**
 * Gets AES-GCM, HMAC-SHA256 / SHA-256 and CRC-32C compiled early. A cold JVM runs them in plain
 * Java at a fraction of their speed until the JIT has compiled them with the CPU's AES, SHA and
 * CRC instructions; a physical backup or restore calls them only once per 1 MiB block, too
 * rarely to get there on its own (measured: half the CPU of a 1.6 GB restore went to SHA-256 in
 * plain Java). Running them on small inputs on another core while the first data arrives takes
 * that cost off the critical path.
 */
public final class JitWarmUp {
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final int ROUNDS = 3000;

    private JitWarmUp() {
    }

    /**
     * Says the process will handle too little data for the warm-up to pay: a later {@link #start()}
     * does nothing. A logical backup or restore of a few MiB calls AES-GCM a few dozen times; warming
     * it costs ~50 MB of dummy encryption competing with the real work on a small machine.
     */
    public static void notNeeded() {
        STARTED.set(true);
    }

    /** Starts the warm-up once per process, on a daemon thread; returns at once. */
    public static void start() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(JitWarmUp::run, "cellar-jit-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    private static void run() {
        AeadCipher cipher = new AeadCipher(new byte[AeadCipher.KEY_BYTES]);
        KeyedHasher hasher = new KeyedHasher(new byte[AeadCipher.KEY_BYTES]);
        MessageDigest sha256 = sha256();
        CRC32C crc = new CRC32C();
        byte[] block = new byte[16 * 1024];
        byte[] small = new byte[2 * 1024];
        for (int i = 0; i < ROUNDS; i++) {
            cipher.open(cipher.seal(block, "warm-up"), "warm-up");
            hasher.idOf(small);
            hasher.idOf(small);
            sha256.update(small);
            crc.update(small);
        }
        sha256.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
