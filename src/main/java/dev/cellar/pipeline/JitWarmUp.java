package dev.cellar.pipeline;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CountDownLatch;
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
    private static final AtomicBoolean DECRYPTION_WARMED = new AtomicBoolean();
    private static final CountDownLatch DECRYPTION_DONE = new CountDownLatch(1);
    /*
     * Many small calls, not a few large ones: C2 compiles a method (and uses the CPU's AES, GHASH
     * and SHA instructions in it) once it was called often enough, whatever the size of each call.
     * Measured in a fresh JVM here: 3,000 rounds of 16 KiB took ~650 ms of CPU and left the next
     * 64 MiB of seal, open and HMAC at 95-460 ms; 12,000 rounds of 512 bytes take ~300 ms of CPU
     * and leave it at ~155 ms (docs/performance.md, "JIT warm-up").
     */
    private static final int ROUNDS = 12_000;
    private static final int BLOCK_BYTES = 512;
    private static final int SMALL_BYTES = 256;
    private static final int DECRYPTION_ROUNDS = 6_000;
    private static final int LARGE_BYTES = 72 * 1024;
    private static final int LARGE_EVERY = 64;

    private JitWarmUp() {
    }

    /**
     * Says the process will handle too little data for the warm-up to pay: a later {@link #start()}
     * does nothing. A logical backup or restore of a few MiB calls AES-GCM a few dozen times; warming
     * it costs ~0.3 s of CPU competing with the real work on a small machine.
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

    /**
     * Gets AES-GCM decryption compiled now, on the calling thread, before it authenticates many
     * whole objects (every manifest of a repository): each is one large decryption, so a thousand
     * of them are too few calls for C2, and they ran in plain Java at ~100 MB/s. Measured in a
     * fresh JVM (docs/performance.md, "Reading many manifests"): this takes ~90 ms, and 1,000
     * manifests of 146 KiB then decrypt in 120 ms on 2 threads, against 720 ms without it. Once
     * per process: {@code cellar server} lists the repository again and again.
     */
    public static void decryptionNow() {
        if (!DECRYPTION_WARMED.compareAndSet(false, true)) {
            // done, or under way on another thread (started before the unlock): its result is what the caller needs
            awaitDecryptionWarmed();
            return;
        }
        try {
            AeadCipher cipher = new AeadCipher(new byte[AeadCipher.KEY_BYTES]);
            byte[] small = cipher.seal(new byte[BLOCK_BYTES], "warm-up");
            // some inputs past the JDK's 64 KiB split: compiled code that never saw one falls back to
            // the interpreter at the first large manifest (an "uncommon trap") and is compiled again later
            byte[] large = cipher.seal(new byte[LARGE_BYTES], "warm-up");
            for (int i = 0; i < DECRYPTION_ROUNDS; i++) {
                cipher.open(i % LARGE_EVERY == LARGE_EVERY - 1 ? large : small, "warm-up");
            }
        } finally {
            DECRYPTION_DONE.countDown();
        }
    }

    /**
     * {@link #decryptionNow} on a daemon thread of its own; returns at once. For a command that is
     * about to authenticate many objects and has slower work to do first (deriving the key): a
     * physical restore opens one chunk per MiB restored, ~2,000 calls for 1.5 GB, too few for C2,
     * and spent ~0.57 s of its threads' time in AES-GCM in plain Java before this
     * (docs/performance.md, "Physical restore as the server's user").
     */
    public static void decryptionSoon() {
        if (DECRYPTION_WARMED.get()) {
            return;
        }
        Thread.ofPlatform().name("cellar-jit-warm-up").daemon().start(JitWarmUp::decryptionNow);
    }

    /** Whether {@link #decryptionNow} has run or is running in this process: nothing to prepare for it then. */
    public static boolean decryptionStarted() {
        return DECRYPTION_WARMED.get();
    }

    private static void awaitDecryptionWarmed() {
        try {
            DECRYPTION_DONE.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void run() {
        AeadCipher cipher = new AeadCipher(new byte[AeadCipher.KEY_BYTES]);
        KeyedHasher hasher = new KeyedHasher(new byte[AeadCipher.KEY_BYTES]);
        MessageDigest sha256 = sha256();
        CRC32C crc = new CRC32C();
        byte[] block = new byte[BLOCK_BYTES];
        byte[] small = new byte[SMALL_BYTES];
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
