package dev.cellar.web.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class Argon2idPasswordsTest {
    private static final Argon2idPasswords CHEAP = new Argon2idPasswords(new Argon2idPasswords.Cost(1024, 1, 1), new SecureRandom());

    @Test
    void theHashMatchesItsPasswordAndNoOther() {
        String hash = CHEAP.hash("correct horse battery".toCharArray());
        assertThat(CHEAP.matches("correct horse battery".toCharArray(), hash)).isTrue();
        assertThat(CHEAP.matches("correct horse batterY".toCharArray(), hash)).isFalse();
        assertThat(CHEAP.matches("".toCharArray(), hash)).isFalse();
    }

    @Test
    void theHashCarriesItsParametersAndAFreshSalt() {
        String first = CHEAP.hash("correct horse battery".toCharArray());
        String second = CHEAP.hash("correct horse battery".toCharArray());
        assertThat(first).startsWith("$argon2id$v=19$m=1024,t=1,p=1$").isNotEqualTo(second);
        assertThat(first.split("\\$")).hasSize(6);
    }

    @Test
    void aHashOfALowerCostStillMatchesAndAsksForARehash() {
        String old = CHEAP.hash("correct horse battery".toCharArray());
        Argon2idPasswords stronger = new Argon2idPasswords(new Argon2idPasswords.Cost(2048, 2, 1), new SecureRandom());
        assertThat(stronger.matches("correct horse battery".toCharArray(), old)).isTrue();
        assertThat(stronger.needsRehash(old)).isTrue();
        assertThat(stronger.needsRehash(stronger.hash("x".toCharArray()))).isFalse();
    }

    @Test
    void theDefaultCostIsOwaspsMinimum() {
        String hash = new Argon2idPasswords().hash("correct horse battery".toCharArray());
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(new Argon2idPasswords().matches("correct horse battery".toCharArray(), hash)).isTrue();
    }

    @Test
    void aMalformedHashMatchesNothing() {
        assertThat(CHEAP.matches("x".toCharArray(), null)).isFalse();
        assertThat(CHEAP.matches("x".toCharArray(), "$argon2i$v=19$m=1024,t=1,p=1$AAAA$AAAA")).isFalse();
        assertThat(CHEAP.matches("x".toCharArray(), "$argon2id$v=19$m=zz,t=1,p=1$AAAA$AAAA")).isFalse();
        assertThat(CHEAP.matches("x".toCharArray(), "$argon2id$v=19$m=1024,t=1,p=1$AAAA")).isFalse();
    }

    @Test
    void thePasswordRuleWantsTwelveCharactersWithoutTheUserName() {
        assertThat(PasswordRule.problem("alice", "short".toCharArray())).hasValueSatisfying(p -> assertThat(p).contains("at least 12"));
        assertThat(PasswordRule.problem("alice", "my-name-is-ALICE!".toCharArray())).hasValueSatisfying(p -> assertThat(p).contains("user name"));
        assertThat(PasswordRule.problem("alice", "four unrelated words".toCharArray())).isEmpty();
    }
}
