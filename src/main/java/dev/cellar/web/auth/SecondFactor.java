package dev.cellar.web.auth;

import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import dev.samstevens.totp.qr.QrData;
import dev.samstevens.totp.secret.DefaultSecretGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps, as every authenticator app does by default)
 * and one-time recovery codes. A code is accepted one step either side of now (phone clocks
 * drift), and only for a step later than the last one accepted, so a code seen over a shoulder
 * cannot be used again.
 */
public final class SecondFactor {
    public static final int PERIOD_SECONDS = 30;
    public static final int DIGITS = 6;
    public static final int RECOVERY_CODES = 10;
    public static final String ISSUER = "Cellar";
    /** Base32 without look-alikes a tired DBA misreads. */
    private static final char[] RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789".toCharArray();

    private final Clock clock;
    private final SecureRandom random;
    private final DefaultCodeGenerator generator = new DefaultCodeGenerator(HashingAlgorithm.SHA1, DIGITS);

    public SecondFactor(Clock clock, SecureRandom random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A new base32 secret of 160 bits (the RFC 4226 recommendation). */
    public String newSecret() {
        return new DefaultSecretGenerator(32).generate();
    }

    /** The {@code otpauth://} URI an authenticator app reads (as a QR code or pasted). */
    public String otpauthUri(String user, String secret) {
        return new QrData.Builder().label(user).secret(secret).issuer(ISSUER).algorithm(HashingAlgorithm.SHA1).digits(DIGITS)
                .period(PERIOD_SECONDS).build().getUri();
    }

    /**
     * The {@code otpauth://} URI as a PNG QR code in a {@code data:} URI, for the page to show;
     * empty when the image cannot be made (the page then shows the secret to type in).
     */
    public java.util.Optional<String> qrCodeDataUri(String user, String secret) {
        try {
            dev.samstevens.totp.qr.QrData data = new QrData.Builder().label(user).secret(secret).issuer(ISSUER)
                    .algorithm(HashingAlgorithm.SHA1).digits(DIGITS).period(PERIOD_SECONDS).build();
            dev.samstevens.totp.qr.ZxingPngQrGenerator generator = new dev.samstevens.totp.qr.ZxingPngQrGenerator();
            return java.util.Optional.of(dev.samstevens.totp.util.Utils.getDataUriForImage(generator.generate(data), generator.getImageMimeType()));
        } catch (dev.samstevens.totp.exceptions.QrGenerationException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** The step of {@code instant}: the counter the code of that moment is made from. */
    public static long stepAt(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), PERIOD_SECONDS);
    }

    /** The code of {@code step}, e.g. for a test playing the authenticator app. */
    public String code(String secret, long step) {
        try {
            return generator.generate(secret, step);
        } catch (CodeGenerationException e) {
            throw new IllegalArgumentException("not a usable TOTP secret", e);
        }
    }

    /**
     * The step whose code {@code code} is, within one step of now and after {@code lastUsedStep};
     * empty when it is none of them (wrong, too old, or used already).
     */
    public OptionalLong matchingStep(String secret, String code, Long lastUsedStep) {
        if (secret == null || code == null) {
            return OptionalLong.empty();
        }
        String given = code.strip().replace(" ", "");
        if (!given.matches("\\d{" + DIGITS + "}")) {
            return OptionalLong.empty();
        }
        long now = stepAt(clock.instant());
        OptionalLong found = OptionalLong.empty();
        // every step is computed and compared, so the time taken says nothing about which one matched
        for (long step = now - 1; step <= now + 1; step++) {
            boolean same = MessageDigest.isEqual(code(secret, step).getBytes(StandardCharsets.US_ASCII),
                    given.getBytes(StandardCharsets.US_ASCII));
            if (same && (lastUsedStep == null || step > lastUsedStep) && found.isEmpty()) {
                found = OptionalLong.of(step);
            }
        }
        return found;
    }

    /** Ten new recovery codes, {@code xxxx-xxxx-xxxx} (about 59 bits each), to be shown once. */
    public List<String> newRecoveryCodes() {
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            StringBuilder code = new StringBuilder();
            for (int c = 0; c < 12; c++) {
                if (c > 0 && c % 4 == 0) {
                    code.append('-');
                }
                code.append(RECOVERY_ALPHABET[random.nextInt(RECOVERY_ALPHABET.length)]);
            }
            codes.add(code.toString());
        }
        return codes;
    }

    /** Whether {@code code} looks like a recovery code rather than a TOTP code. */
    public static boolean looksLikeRecoveryCode(String code) {
        return code != null && normalise(code).length() == 12;
    }

    /** The hash a recovery code is kept under: case, spaces and dashes do not matter when it is typed. */
    public static String hashRecoveryCode(String code) {
        return Secrets.sha256(normalise(code));
    }

    private static String normalise(String code) {
        return code.toLowerCase(Locale.ROOT).replaceAll("[\\s-]", "");
    }
}
