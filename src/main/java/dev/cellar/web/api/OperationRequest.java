package dev.cellar.web.api;

import java.util.Map;
import java.util.Objects;

/**
 * What an operation is to do, kept in the catalog as it was asked so that an operation approved
 * after a restart of the server (or on another node) runs exactly what was requested.
 *
 * @param kind     what to run
 * @param database the short name of the database it is for ({@code databases:} entry), or null for the whole repository
 * @param target   what the audit trail and the dashboard name as its object (a database, a backup id, the repository)
 * @param params   the request's own fields (backup id, target database, dry run, ...), JSON-compatible values only
 */
public record OperationRequest(OperationKind kind, String database, String target, Map<String, Object> params) {
    public OperationRequest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        params = Map.copyOf(params);
    }

    public String text(String name) {
        Object value = params.get(name);
        return value == null ? null : value.toString();
    }

    public boolean flag(String name) {
        return Boolean.TRUE.equals(params.get(name));
    }
}
