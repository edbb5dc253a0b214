package dev.cellar.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.config.KmsConfig;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.KeySlot;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.repo.UnlockMethod;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The KMS unlock method against {@link FakeKmsService}, a local stand-in speaking the KMS JSON
 * protocol subset Cellar uses (AWS KMS cannot run here): signed requests, the repository id as
 * encryption context, and each failure with its own error code.
 */
class KmsUnlockTest {
    private static final Map<String, String> ENV = Map.of("KMS_ID", FakeKmsService.ACCESS_KEY_ID, "KMS_SECRET", FakeKmsService.SECRET_ACCESS_KEY);
    private static FakeKmsService kms;

    @BeforeAll
    static void start() throws Exception {
        kms = FakeKmsService.start();
        kms.createKey("alias/cellar");
        kms.createKey("alias/denied");
    }

    @AfterAll
    static void stop() {
        kms.close();
    }

    private static KmsConfig config(String keyId, URI endpoint) {
        return new KmsConfig(keyId, "eu-west-1", endpoint, "KMS_ID", "KMS_SECRET", null);
    }

    private static byte[] material() {
        byte[] material = new byte[72];
        new SecureRandom().nextBytes(material);
        return material;
    }

    @Test
    void aSlotSealedByKmsOpensForItsRepositoryOnlyAndHoldsNoPlaintext() {
        byte[] material = material();
        KmsUnlock method = KmsUnlock.of(config("alias/cellar", kms.endpoint()), ENV);

        KeySlot slot = method.seal(material, "repo-one", "1111111111111111", Instant.now());

        assertThat(slot.kind()).isEqualTo("kms");
        assertThat(slot.unlock()).containsEntry("key-id", "alias/cellar").containsEntry("region", "eu-west-1");
        String json = new String(RepositoryJson.write(slot), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain(HexFormat.of().formatHex(material)).doesNotContain(Base64.getEncoder().encodeToString(material))
                .doesNotContain(FakeKmsService.SECRET_ACCESS_KEY);
        assertThat(KmsUnlock.of(config("alias/cellar", kms.endpoint()), ENV).open(slot, "repo-one")).isEqualTo(material);
        assertThatThrownBy(() -> KmsUnlock.of(config("alias/cellar", kms.endpoint()), ENV).open(slot, "repo-two"))
                .as("the encryption context names another repository").isInstanceOf(UnlockMethod.NotThisSlot.class);
        assertThat(kms.calls()).contains("Encrypt alias/cellar", "Decrypt alias/cellar");
        assertThat(kms.unsignedRequests()).isEmpty();
    }

    @Test
    void aFlippedByteInTheSealedKeyOpensNothing() {
        KeySlot slot = KmsUnlock.of(config("alias/cellar", kms.endpoint()), ENV).seal(material(), "repo-flip", "2222222222222222", Instant.now());
        byte[] blob = Base64.getDecoder().decode(slot.wrappedKeyBase64());
        blob[blob.length - 3] ^= 1;
        KeySlot flipped = KeySlot.held(slot.id(), slot.kind(), slot.kdf(), Base64.getEncoder().encodeToString(blob), slot.createdAt(), slot.unlock());

        assertThatThrownBy(() -> KmsUnlock.of(config("alias/cellar", kms.endpoint()), ENV).open(flipped, "repo-flip"))
                .isInstanceOf(UnlockMethod.NotThisSlot.class);
    }

    @Test
    void aRequestSignedWithAWrongSecretIsRefusedByTheService() throws Exception {
        Map<String, String> wrong = Map.of("KMS_ID", FakeKmsService.ACCESS_KEY_ID, "KMS_SECRET", "not-the-secret");
        try (FakeKmsService own = FakeKmsService.start()) {
            own.createKey("alias/cellar");

            assertThatThrownBy(() -> KmsUnlock.of(config("alias/cellar", own.endpoint()), wrong).seal(material(), "r", "3333333333333333", Instant.now()))
                    .isInstanceOf(CellarException.class).extracting(e -> ((CellarException) e).code()).isEqualTo(ErrorCode.KMS_REFUSED);
            assertThat(own.unsignedRequests()).anyMatch(r -> r.contains("signature does not match"));
            assertThat(own.calls()).isEmpty();
        }
    }

    @Test
    void accessDeniedAndAnUnreachableServiceEachHaveTheirOwnCodeAndNameTheEndpoint() throws Exception {
        KeySlot slot = KmsUnlock.of(config("alias/denied", kms.endpoint()), ENV).seal(material(), "repo-d", "4444444444444444", Instant.now());
        kms.deny("alias/denied");

        assertThatThrownBy(() -> KmsUnlock.of(config("alias/denied", kms.endpoint()), ENV).open(slot, "repo-d"))
                .isInstanceOf(CellarException.class).hasMessageContaining("AccessDeniedException")
                .extracting(e -> ((CellarException) e).code()).isEqualTo(ErrorCode.KMS_REFUSED);

        int freePort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        URI nobody = URI.create("http://127.0.0.1:" + freePort);
        assertThatThrownBy(() -> KmsUnlock.of(config("alias/cellar", nobody), ENV).open(
                KeySlot.held("5555555555555555", "kms", "aws-kms", slot.wrappedKeyBase64(), Instant.now(), Map.of("key-id", "alias/cellar")), "repo-d"))
                .isInstanceOf(CellarException.class).hasMessageContaining(nobody.toString()).hasMessageContaining("cannot be reached")
                .extracting(e -> ((CellarException) e).code()).isEqualTo(ErrorCode.KMS_UNREACHABLE);
    }

    @Test
    void aSlotOfAnotherKmsKeyIsNotEvenAskedFor() {
        KeySlot other = KeySlot.held("6666666666666666", "kms", "aws-kms", "AAAA", Instant.now(), Map.of("key-id", "alias/other"));
        int before = kms.calls().size();

        assertThatThrownBy(() -> KmsUnlock.of(config("alias/cellar", kms.endpoint()), ENV).open(other, "r"))
                .isInstanceOf(UnlockMethod.NotThisSlot.class);
        assertThat(kms.calls()).hasSize(before);
    }
}
