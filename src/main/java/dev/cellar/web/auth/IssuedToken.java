package dev.cellar.web.auth;

import java.time.Instant;

/**
 * A token just created: {@code token} is shown this once and stored only as its SHA-256.
 */
public record IssuedToken(String id, String user, String name, String role, Instant expires, String token) {
    @Override
    public String toString() {
        return "IssuedToken[" + id + ", " + user + ", " + role + "]";
    }
}
