package dev.cellar.web.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cellar.server.metrics.BuildInfo;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3.0 document of the REST API, made from the route table and nothing else, so that it
 * cannot name a route that does not exist nor leave one out: paths, methods, tags, parameters,
 * request bodies, the 200/202/4xx answers, and how to authenticate (bearer token, or session
 * cookie with the CSRF header on calls that change state).
 */
public final class OpenApiDocument {
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}/]+)}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ApiRouteTable table;

    /** The document of {@code table}, as it is when {@link #json()} is called (the table may still be filling). */
    public OpenApiDocument(ApiRouteTable table) {
        this.table = table;
    }

    public ObjectNode json() {
        ObjectNode doc = NODES.objectNode();
        doc.put("openapi", "3.0.3");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Cellar REST API");
        info.put("version", version());
        info.put("description", "Backups, restores, verification, alerts, schedules and the audit trail of a Cellar repository. "
                + "See docs/rest-api.md.");
        ArrayNode tags = doc.putArray("tags");
        Set<String> tagNames = new LinkedHashSet<>();
        table.routes().forEach(r -> tagNames.add(r.tag()));
        tagNames.forEach(name -> tags.addObject().put("name", name));
        ObjectNode paths = doc.putObject("paths");
        for (ApiRouteTable.Entry entry : table.entries()) {
            ApiRoute route = entry.route();
            ObjectNode path = paths.has(route.path()) ? (ObjectNode) paths.get(route.path()) : paths.putObject(route.path());
            path.set(route.method().toLowerCase(Locale.ROOT), operation(entry));
        }
        doc.set("components", components());
        return doc;
    }

    private static ObjectNode operation(ApiRouteTable.Entry entry) {
        ApiRoute route = entry.route();
        ObjectNode op = NODES.objectNode();
        op.putArray("tags").add(route.tag());
        op.put("summary", route.summary());
        op.put("operationId", operationId(route));
        if (route.permission() != null) {
            op.put("x-cellar-permission", route.permission().name().toLowerCase(Locale.ROOT));
        }
        op.put("x-cellar-destructive", route.destructive());
        ArrayNode parameters = NODES.arrayNode();
        for (String name : pathParameters(route.path())) {
            ObjectNode p = parameters.addObject();
            p.put("name", name).put("in", "path").put("required", true);
            p.putObject("schema").put("type", "string");
        }
        for (String name : entry.query()) {
            ObjectNode p = parameters.addObject();
            p.put("name", name).put("in", "query").put("required", false);
            p.putObject("schema").put("type", "string");
        }
        if (!parameters.isEmpty()) {
            op.set("parameters", parameters);
        }
        if (!entry.body().isEmpty()) {
            ObjectNode schema = op.putObject("requestBody").put("required", false).putObject("content").putObject("application/json")
                    .putObject("schema").put("type", "object");
            ObjectNode properties = schema.putObject("properties");
            entry.body().forEach((name, type) -> properties.putObject(name).put("type", type));
        }
        ObjectNode responses = op.putObject("responses");
        if (entry.accepted()) {
            responses.putObject("202").put("description", "Started (or awaiting approval): {operationId, status, links}")
                    .putObject("content").putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/Accepted");
        } else {
            responses.putObject("200").put("description", "OK").putObject("content").putObject("application/json")
                    .putObject("schema").put("type", "object");
        }
        if (!entry.body().isEmpty() || !entry.query().isEmpty()) {
            responses.putObject("400").put("$ref", "#/components/responses/Error");
        }
        if (route.permission() != null) {
            responses.putObject("401").put("$ref", "#/components/responses/Error");
            responses.putObject("403").put("$ref", "#/components/responses/Error");
        }
        if (!pathParameters(route.path()).isEmpty()) {
            responses.putObject("404").put("$ref", "#/components/responses/Error");
        }
        op.set("security", security(route));
        return op;
    }

    /** Open routes need nothing; others a bearer token, or the session cookie (with the CSRF header when they change state). */
    private static ArrayNode security(ApiRoute route) {
        ArrayNode security = NODES.arrayNode();
        if (route.open()) {
            return security;
        }
        security.addObject().putArray("bearer");
        ObjectNode session = security.addObject();
        session.putArray("session");
        if (route.changesState()) {
            session.putArray("csrf");
        }
        return security;
    }

    private static ObjectNode components() {
        ObjectNode components = NODES.objectNode();
        ObjectNode schemes = components.putObject("securitySchemes");
        schemes.putObject("bearer").put("type", "http").put("scheme", "bearer")
                .put("description", "An API token: Authorization: Bearer cellar_...");
        schemes.putObject("session").put("type", "apiKey").put("in", "cookie").put("name", "cellar_session")
                .put("description", "The session cookie POST /api/session sets");
        schemes.putObject("csrf").put("type", "apiKey").put("in", "header").put("name", "X-CSRF-Token")
                .put("description", "The session's CSRF token (from POST or GET /api/session), on every call that changes state");
        ObjectNode schemas = components.putObject("schemas");
        ObjectNode error = schemas.putObject("Error").put("type", "object");
        ObjectNode errorProperties = error.putObject("properties");
        errorProperties.putObject("error").put("type", "string");
        errorProperties.putObject("hint").put("type", "string");
        errorProperties.putObject("status").put("type", "integer");
        ObjectNode accepted = schemas.putObject("Accepted").put("type", "object");
        ObjectNode acceptedProperties = accepted.putObject("properties");
        acceptedProperties.putObject("operationId").put("type", "string");
        acceptedProperties.putObject("status").put("type", "string").putArray("enum").add("running").add("awaiting-approval");
        acceptedProperties.putObject("links").put("type", "object");
        components.putObject("responses").putObject("Error").put("description", "Refused: {error, hint, status}")
                .putObject("content").putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/Error");
        return components;
    }

    static List<String> pathParameters(String path) {
        List<String> names = new ArrayList<>();
        Matcher m = PATH_PARAMETER.matcher(path);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** {@code POST /api/operations/{id}/approve} becomes {@code postOperationsIdApprove}. */
    static String operationId(ApiRoute route) {
        StringBuilder id = new StringBuilder(route.method().toLowerCase(Locale.ROOT));
        for (String part : route.path().replace("/api/", "").split("[/{}._-]+")) {
            if (!part.isEmpty()) {
                id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return id.toString();
    }

    private static String version() {
        try {
            return BuildInfo.current().version();
        } catch (RuntimeException e) {
            return "dev";
        }
    }
}
