package dev.cellar.web.api;

import dev.cellar.web.auth.Permission;
import java.util.Locale;
import java.util.Objects;

/**
 * One route of the REST API (or a dashboard action that changes state): the role table the API
 * test checks, and the source of the OpenAPI document.
 *
 * @param method      GET, POST, PUT, PATCH or DELETE
 * @param path        Javalin form, {@code /api/backups/{id}}
 * @param permission  what the caller's role must allow; null for the few routes anyone may call
 *                    (login, the OpenAPI document itself)
 * @param destructive whether it needs a fresh second factor (restore over an existing database,
 *                    expire, gc, unlock, WORM or retention changes, user and key changes)
 * @param summary     one line for the OpenAPI document
 * @param tag         the OpenAPI tag (backups, restores, alerts, ...)
 */
public record ApiRoute(String method, String path, Permission permission, boolean destructive, String summary, String tag) {

    public ApiRoute {
        method = method.toUpperCase(Locale.ROOT);
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(tag, "tag");
        if (destructive && permission == null) {
            throw new IllegalArgumentException("a destructive route needs a permission: " + method + " " + path);
        }
    }

    /** Whether the route changes state: such a request needs a CSRF token when it comes with a session cookie. */
    public boolean changesState() {
        return !method.equals("GET") && !method.equals("HEAD");
    }

    public boolean open() {
        return permission == null;
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
