package dev.cellar.server.alert;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA256 signature of a webhook delivery: over the timestamp header's value, a dot, and
 * the body's bytes, keyed with the shared secret. The timestamp inside the signature lets a
 * receiver refuse a replayed delivery (one older than a few minutes).
 */
public final class WebhookSignature {
    public static final String TIMESTAMP_HEADER = "X-Cellar-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Cellar-Signature";
    private static final String PREFIX = "sha256=";

    private WebhookSignature() {
    }

    /** {@code sha256=<lowercase hex>} */
    public static String sign(byte[] secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) '.');
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** What a receiver does: recompute and compare in constant time. */
    public static boolean verify(byte[] secret, String timestamp, byte[] body, String signature) {
        if (signature == null || timestamp == null) {
            return false;
        }
        return MessageDigest.isEqual(sign(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }
}
