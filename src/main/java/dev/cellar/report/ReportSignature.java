package dev.cellar.report;

import dev.cellar.repo.Repository;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature an exported report file carries beside it ({@code report.html.sig}): an
 * HMAC-SHA256 under a key derived from the repository's data key, so only a key holder can make
 * one and {@code cellar report verify} proves a file is the one Cellar wrote, unchanged. One line
 * of text: {@code cellar-report-signature v1 repository=<id> hmac-sha256=<hex>}.
 */
public final class ReportSignature {
    static final String KEY_PURPOSE = "report-signature";
    private static final String PREFIX = "cellar-report-signature v1";

    private final byte[] key;
    private final String repositoryId;

    ReportSignature(byte[] key, String repositoryId) {
        this.key = key.clone();
        this.repositoryId = repositoryId;
    }

    public static ReportSignature of(Repository repository) {
        return new ReportSignature(repository.derivedKey(KEY_PURPOSE), repository.header().repositoryId());
    }

    /** The signature line of {@code content}. */
    public String sign(byte[] content) {
        return PREFIX + " repository=" + repositoryId + " hmac-sha256=" + HexFormat.of().formatHex(mac(content));
    }

    /** Whether {@code signatureLine} is this repository's signature of exactly {@code content}. */
    public boolean verifies(byte[] content, String signatureLine) {
        byte[] expected = sign(content).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, signatureLine.strip().getBytes(StandardCharsets.UTF_8));
    }

    private byte[] mac(byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no HmacSHA256", e);
        }
    }
}
