package dev.cellar.web.auth;

import java.time.Instant;

/**
 * An API token as lists show it: never the token itself, which only its creator saw once.
 *
 * @param revoked null unless revoked
 * @param lastUsed null until first used
 */
public record ApiToken(String id, String user, String name, String role, Instant created, Instant expires, Instant revoked,
        Instant lastUsed) {

    public boolean usableAt(Instant now) {
        return revoked == null && expires.isAfter(now);
    }
}
