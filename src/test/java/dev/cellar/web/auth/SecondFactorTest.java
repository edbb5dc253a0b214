package dev.cellar.web.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecondFactorTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:10Z"));
    private final SecondFactor totp = new SecondFactor(clock, new SecureRandom());

    @Test
    void theCodesAreRfc6238s() {
        // RFC 6238 appendix B, SHA-1, secret "12345678901234567890" (base32 below), T = 59 s: 94287082 (8 digits); 6 digits: 287082
        String rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        assertThat(totp.code(rfcSecret, SecondFactor.stepAt(Instant.ofEpochSecond(59)))).isEqualTo("287082");
        assertThat(totp.code(rfcSecret, SecondFactor.stepAt(Instant.ofEpochSecond(1111111109)))).isEqualTo("081804");
    }

    @Test
    void aCodeOfOneStepEitherSideIsAcceptedAndNoFurther() {
        String secret = totp.newSecret();
        long now = SecondFactor.stepAt(clock.instant());
        assertThat(totp.matchingStep(secret, totp.code(secret, now), null)).hasValue(now);
        assertThat(totp.matchingStep(secret, totp.code(secret, now - 1), null)).hasValue(now - 1);
        assertThat(totp.matchingStep(secret, totp.code(secret, now + 1), null)).hasValue(now + 1);
        assertThat(totp.matchingStep(secret, totp.code(secret, now - 2), null)).isEmpty();
        assertThat(totp.matchingStep(secret, totp.code(secret, now + 2), null)).isEmpty();
    }

    @Test
    void aCodeOfAStepAlreadyUsedOrEarlierIsRefused() {
        String secret = totp.newSecret();
        long now = SecondFactor.stepAt(clock.instant());
        String code = totp.code(secret, now);
        assertThat(totp.matchingStep(secret, code, now)).as("the same code again").isEmpty();
        assertThat(totp.matchingStep(secret, totp.code(secret, now - 1), now)).as("an older one").isEmpty();
        clock.advance(Duration.ofSeconds(30));
        assertThat(totp.matchingStep(secret, totp.code(secret, now + 1), now)).hasValue(now + 1);
    }

    @Test
    void garbageIsNoCode() {
        String secret = totp.newSecret();
        assertThat(totp.matchingStep(secret, "12345", null)).isEmpty();
        assertThat(totp.matchingStep(secret, "abcdef", null)).isEmpty();
        assertThat(totp.matchingStep(null, "123456", null)).isEmpty();
        assertThat(totp.matchingStep(secret, null, null)).isEmpty();
    }

    @Test
    void theSecretIs160BitsOfBase32AndTheUriNamesCellar() {
        String secret = totp.newSecret();
        assertThat(secret).matches("[A-Z2-7]{32}");
        assertThat(totp.otpauthUri("alice", secret)).startsWith("otpauth://totp/").contains("secret=" + secret).contains("issuer=Cellar")
                .contains("digits=6").contains("period=30");
    }

    @Test
    void tenDistinctRecoveryCodesWhoseHashIgnoresCaseAndDashes() {
        List<String> codes = totp.newRecoveryCodes();
        assertThat(codes).hasSize(10).allMatch(c -> c.matches("[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}"));
        assertThat(new HashSet<>(codes)).hasSize(10);
        String code = codes.get(0);
        assertThat(SecondFactor.looksLikeRecoveryCode(code)).isTrue();
        assertThat(SecondFactor.looksLikeRecoveryCode("123456")).isFalse();
        assertThat(SecondFactor.hashRecoveryCode(code.toUpperCase().replace("-", " ")))
                .isEqualTo(SecondFactor.hashRecoveryCode(code)).isNotEqualTo(SecondFactor.hashRecoveryCode(codes.get(1)));
    }
}
