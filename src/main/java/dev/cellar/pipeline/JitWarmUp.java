package dev.cellar.pipeline;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets AES-GCM compiled early. A cold JVM runs GCM at well under 100 MB/s until the JIT has
 * compiled its intrinsics, which on a short backup costs seconds; sealing a few megabytes on
 * another core while the first data arrives (pg_dump reads the catalog first) takes that cost
 * off the critical path.
 */
public final class JitWarmUp {
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final int ROUNDS = 3000;

    private JitWarmUp() {
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
        byte[] block = new byte[16 * 1024];
        for (int i = 0; i < ROUNDS; i++) {
            cipher.open(cipher.seal(block, "warm-up"), "warm-up");
        }
    }
}
