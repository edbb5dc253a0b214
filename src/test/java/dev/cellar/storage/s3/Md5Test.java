package dev.cellar.storage.s3;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Md5Test {
    private static final Md5 HELLO = Md5.of("hello".getBytes(StandardCharsets.UTF_8), 0, 5);

    @Test
    void contentMd5IsTheBase64DigestAndTheETagTheHexOne() {
        assertThat(HELLO.hex()).isEqualTo("5d41402abc4b2a76b9719d911017c592");
        assertThat(HELLO.base64()).isEqualTo("XUFAKrxLKna5cZ2REBfFkg==");
    }

    @Test
    void onlyAPlainMd5ETagCanContradictTheContent() {
        assertThat(HELLO.contradictedBy("\"5d41402abc4b2a76b9719d911017c592\"", null)).isFalse();
        assertThat(HELLO.contradictedBy("\"5D41402ABC4B2A76B9719D911017C592\"", "AES256")).isFalse();
        assertThat(HELLO.contradictedBy("\"00000000000000000000000000000000\"", null)).isTrue();
        assertThat(HELLO.contradictedBy("\"00000000000000000000000000000000\"", "aws:kms")).as("KMS ETags are no MD5").isFalse();
        assertThat(HELLO.contradictedBy("\"00000000000000000000000000000000-3\"", null)).as("multipart ETag").isFalse();
        assertThat(HELLO.contradictedBy(null, null)).isFalse();
    }
}
