package dev.cellar.web.auth;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.util.Locale;
import java.util.Optional;

/**
 * What a web user's password must be: at least 12 characters, and not the user's name. Length
 * beats composition rules (NIST SP 800-63B); the name is the first guess of any attacker.
 */
public final class PasswordRule {
    public static final int MIN_LENGTH = 12;

    private PasswordRule() {
    }

    /** Why {@code password} is refused for {@code user}, or empty when it is fine. */
    public static Optional<String> problem(String user, char[] password) {
        int length = String.valueOf(password).codePointCount(0, password.length);
        if (length < MIN_LENGTH) {
            return Optional.of("the password has " + length + " characters; it needs at least " + MIN_LENGTH);
        }
        String lower = String.valueOf(password).toLowerCase(Locale.ROOT);
        if (user != null && !user.isBlank() && lower.contains(user.toLowerCase(Locale.ROOT))) {
            return Optional.of("the password contains the user name '" + user + "'");
        }
        return Optional.empty();
    }

    /** @throws CellarException {@code CONFIG_INVALID} naming the problem */
    public static void require(String user, char[] password) {
        problem(user, password).ifPresent(p -> {
            throw new CellarException(ErrorCode.CONFIG_INVALID, p, "choose a passphrase of " + MIN_LENGTH
                    + " characters or more that does not contain the user name, e.g. four unrelated words");
        });
    }
}
