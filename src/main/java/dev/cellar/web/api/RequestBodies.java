package dev.cellar.web.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cellar.repo.RepositoryJson;
import io.javalin.http.Context;

/** A request's JSON body, read leniently (an empty body is an empty object) and answered 400 when it is not JSON or lacks a field. */
final class RequestBodies {
    private final JsonNode body;

    private RequestBodies(JsonNode body) {
        this.body = body;
    }

    static RequestBodies of(Context ctx) {
        String text = ctx.body();
        if (text.isBlank()) {
            return new RequestBodies(JsonNodeFactory.instance.objectNode());
        }
        try {
            JsonNode node = RepositoryJson.mapper().readTree(text);
            if (!node.isObject()) {
                throw ApiProblem.badRequest("the request body is not a JSON object", "send {\"field\": value, ...}");
            }
            return new RequestBodies(node);
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("the request body is not JSON: " + e.getOriginalMessage(), "send a JSON object");
        }
    }

    String text(String field, String example) {
        String value = optionalText(field);
        if (value == null || value.isBlank()) {
            throw ApiProblem.badRequest("the request lacks \"" + field + "\"", "send e.g. {\"" + field + "\": \"" + example + "\"}");
        }
        return value;
    }

    String optionalText(String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    boolean flag(String field) {
        JsonNode value = body.get(field);
        if (value != null && !value.isNull() && !value.isBoolean()) {
            throw ApiProblem.badRequest("\"" + field + "\" must be true or false", "send {\"" + field + "\": true}");
        }
        return value != null && value.asBoolean();
    }
}
