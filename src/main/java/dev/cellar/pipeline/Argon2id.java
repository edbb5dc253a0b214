package dev.cellar.pipeline;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import dev.cellar.config.CellarVariable;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id (RFC 9106, version 0x13) of a secret with a salt and no associated data.
 *
 * <p>Every command a passphrase unlocks pays one derivation of 64 MiB before any work. The
 * system's libargon2 (the reference implementation, Debian's {@code libargon2-1}) computes the
 * lanes in parallel threads, in C: ~0.1 s where BouncyCastle in plain Java took ~0.65 s
 * of CPU in a command's cold JVM. Both compute the same function (Argon2idTest compares them on
 * every cost the repository and the web use), so a slot written by one opens with the other;
 * where the library is missing or cannot be loaded, BouncyCastle does the work.
 */
public final class Argon2id {
    private static final int ARGON2_OK = 0;

    private Argon2id() {
    }

    /** The derived key of {@code length} bytes. */
    public static byte[] derive(byte[] secret, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
        NativeArgon2 library = NativeHolder.LIBRARY;
        return library != null
                ? nativeDerive(library, secret, salt, memoryKib, iterations, parallelism, length)
                : javaDerive(secret, salt, memoryKib, iterations, parallelism, length);
    }

    /** Whether the system's libargon2 does the work (else BouncyCastle). */
    public static boolean usesSystemLibrary() {
        return NativeHolder.LIBRARY != null;
    }

    /** BouncyCastle's implementation, which is also the fallback. */
    static byte[] javaDerive(byte[] secret, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withSalt(salt).withMemoryAsKB(memoryKib)
                .withIterations(iterations).withParallelism(parallelism).build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(secret, out);
        return out;
    }

    static byte[] nativeDerive(NativeArgon2 library, byte[] secret, byte[] salt, int memoryKib, int iterations, int parallelism,
                               int length) {
        // the secret goes to native memory we wipe ourselves: JNA's copy of a byte[] argument is freed unwiped
        Memory password = new Memory(Math.max(1, secret.length));
        Memory hash = new Memory(length);
        try {
            password.write(0, secret, 0, secret.length);
            int status = library.argon2id_hash_raw(iterations, memoryKib, parallelism, password, new NativeLong(secret.length),
                    salt, new NativeLong(salt.length), hash, new NativeLong(length));
            if (status != ARGON2_OK) {
                throw new IllegalStateException("libargon2 refused the derivation (error " + status + ", m=" + memoryKib + " KiB t="
                        + iterations + " p=" + parallelism + ")");
            }
            return hash.getByteArray(0, length);
        } finally {
            password.clear();
            hash.clear();
            password.close();
            hash.close();
        }
    }

    /** {@code argon2id_hash_raw} of libargon2 (argon2.h); {@code size_t} is a long on the 64-bit systems Cellar runs on. */
    interface NativeArgon2 extends Library {
        int argon2id_hash_raw(int iterations, int memoryKib, int parallelism, Pointer password, NativeLong passwordLength,
                              byte[] salt, NativeLong saltLength, Pointer hash, NativeLong hashLength);
    }

    /** Loaded at first use only: a command unlocked by a key file or HSM never loads JNA. */
    private static final class NativeHolder {
        static final NativeArgon2 LIBRARY = load();

        private static NativeArgon2 load() {
            if ("java".equals(System.getenv(CellarVariable.ARGON2.variable()))) {
                return null;
            }
            // the versioned name first: it is what the runtime package installs (libargon2.so comes only with
            // the -dev package), and JNA opens it directly, where "argon2" made it search and run ldconfig -p (~5 ms)
            for (String name : new String[] {"libargon2.so.1", "argon2"}) {
                try {
                    return Native.load(name, NativeArgon2.class);
                } catch (LinkageError | RuntimeException e) {
                    // not installed, or JNA cannot run here: try the next name, then BouncyCastle
                }
            }
            return null;
        }
    }
}
