package dev.cellar.lifecycle;

import dev.cellar.lifecycle.graph.Subject;
import dev.cellar.repo.Repository;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keyed hash that stands for a data subject wherever Cellar must remember one without holding
 * its id: the erasure ledger, and the subject index of archive manifests. HMAC-SHA256 under a key
 * derived from the repository's data key, over the subject's table (schema-qualified) and id, so
 * the same subject hashes alike in every ledger entry and archive of one repository, and a
 * stolen ledger cannot be tested against guessed ids without the repository's key.
 */
public final class SubjectKey {
    public static final String KEY_PURPOSE = "erasure-ledger";
    private final SecretKeySpec key;
    /** One MAC per thread: finding a subject by its hash hashes every key of its table. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    public SubjectKey(byte[] key) {
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    public static SubjectKey of(Repository repository) {
        return new SubjectKey(repository.derivedKey(KEY_PURPOSE));
    }

    public String hash(Subject subject) {
        return hash(subject.table(), subject.id());
    }

    /** Lower-case hex of HMAC-SHA256 over {@code schema.table:id} (the id as PostgreSQL prints it). */
    public String hash(TableName table, String id) {
        return HexFormat.of().formatHex(macs.get().doFinal((table.qualified() + ":" + id).getBytes(StandardCharsets.UTF_8)));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no HmacSHA256", e);
        }
    }
}
