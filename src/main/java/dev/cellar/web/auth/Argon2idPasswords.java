package dev.cellar.web.auth;

import dev.cellar.pipeline.Argon2id;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Hashes and checks web users' passwords with Argon2id. The hash carries its parameters
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}, the PHC string form), so raising the cost
 * later leaves old hashes checkable and {@link #needsRehash} tells the login to upgrade them.
 */
public final class Argon2idPasswords {
    /** OWASP's minimum for Argon2id (19 MiB, 2 passes, 1 lane): about 50 ms here, no burden for a login. */
    public static final Cost DEFAULT_COST = new Cost(19 * 1024, 2, 1);
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final String PREFIX = "$argon2id$v=19$";
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    /** @param memoryKib memory in KiB; @param passes iterations; @param lanes parallelism */
    public record Cost(int memoryKib, int passes, int lanes) {
        public Cost {
            if (memoryKib < 8 * lanes || passes < 1 || lanes < 1) {
                throw new IllegalArgumentException("Argon2id needs memory >= 8 KiB per lane and at least one pass and lane");
            }
        }
    }

    private final Cost cost;
    private final SecureRandom random;

    public Argon2idPasswords() {
        this(DEFAULT_COST, new SecureRandom());
    }

    public Argon2idPasswords(Cost cost, SecureRandom random) {
        this.cost = Objects.requireNonNull(cost, "cost");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The encoded hash of {@code password}, with a fresh salt and this hasher's cost. */
    public String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, cost, HASH_BYTES);
        return PREFIX + "m=" + cost.memoryKib() + ",t=" + cost.passes() + ",p=" + cost.lanes() + "$" + B64.encodeToString(salt)
                + "$" + B64.encodeToString(hash);
    }

    /** Whether {@code password} is the one {@code encoded} was made from; false for a malformed hash. Constant time in the hash. */
    public boolean matches(char[] password, String encoded) {
        Parsed parsed = parse(encoded);
        if (parsed == null) {
            return false;
        }
        byte[] actual = derive(password, parsed.salt, parsed.cost, parsed.hash.length);
        return MessageDigest.isEqual(actual, parsed.hash);
    }

    /** Whether {@code encoded} was made with a lower cost than this hasher's: the login then stores a new hash. */
    public boolean needsRehash(String encoded) {
        Parsed parsed = parse(encoded);
        return parsed == null || parsed.cost.memoryKib() < cost.memoryKib() || parsed.cost.passes() < cost.passes()
                || parsed.cost.lanes() < cost.lanes();
    }

    private record Parsed(Cost cost, byte[] salt, byte[] hash) {
    }

    private static Parsed parse(String encoded) {
        if (encoded == null || !encoded.startsWith(PREFIX)) {
            return null;
        }
        String[] parts = encoded.substring(PREFIX.length()).split("\\$");
        if (parts.length != 3) {
            return null;
        }
        try {
            int m = 0;
            int t = 0;
            int p = 0;
            for (String pair : parts[0].split(",")) {
                String[] kv = pair.split("=", 2);
                int value = Integer.parseInt(kv[1]);
                switch (kv[0]) {
                    case "m" -> m = value;
                    case "t" -> t = value;
                    case "p" -> p = value;
                    default -> {
                        return null;
                    }
                }
            }
            return new Parsed(new Cost(m, t, p), B64D.decode(parts[1]), B64D.decode(parts[2]));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static byte[] derive(char[] password, byte[] salt, Cost cost, int length) {
        byte[] secret = utf8(password);
        try {
            return Argon2id.derive(secret, salt, cost.memoryKib(), cost.passes(), cost.lanes(), length);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        if (buffer.hasArray()) {
            Arrays.fill(buffer.array(), (byte) 0);
        }
        return bytes;
    }
}
