package dev.cellar.web.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Map;

/**
 * The web contract's error answer, {@code {"error", "hint", "status"}}: refusals travel as
 * {@link HttpResponseException} with the hint in its details, and are written here.
 */
public final class WebErrors {
    public static final String HINT = "hint";
    private static final ObjectMapper JSON = new ObjectMapper();

    private WebErrors() {
    }

    public static HttpResponseException refusal(int status, String error, String hint) {
        return new HttpResponseException(status, error, Map.of(HINT, hint == null ? "" : hint));
    }

    /** Writes {@code e} as the contract's JSON error. */
    public static void answer(Context ctx, HttpResponseException e) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", e.getMessage());
        body.put("hint", e.getDetails().getOrDefault(HINT, ""));
        body.put("status", e.getStatus());
        ctx.status(e.getStatus()).contentType("application/json").result(body.toString());
    }
}
