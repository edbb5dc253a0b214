package dev.cellar.storage.s3;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** The MD5 of what is uploaded: sent as Content-MD5 and compared with the ETag the server returns. */
record Md5(byte[] digest) {

    static Md5 of(byte[] data, int offset, int length) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(data, offset, length);
            return new Md5(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    String base64() {
        return Base64.getEncoder().encodeToString(digest);
    }

    String hex() {
        return HexFormat.of().formatHex(digest);
    }

    /**
     * Whether the ETag contradicts this MD5. Only a plain 32-hex ETag of an object stored without
     * KMS or customer-key encryption is an MD5; any other ETag says nothing and is accepted.
     */
    boolean contradictedBy(String eTag, String serverSideEncryption) {
        if (eTag == null || (serverSideEncryption != null && !serverSideEncryption.equals("AES256"))) {
            return false;
        }
        String bare = eTag.replace("\"", "").toLowerCase(java.util.Locale.ROOT);
        return bare.matches("[0-9a-f]{32}") && !bare.equals(hex());
    }
}
