package dev.cellar.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.router.ParsedEndpoint;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route registered on Javalin is in the OpenAPI document, and every path and method of the
 * document is registered: from the registration method's own answer and from Javalin's route list.
 */
class OpenApiCoversEveryRouteTest {
    @Test
    void documentAndRegisteredRoutesAreTheSame() {
        ApiRoutes api = UnconnectedApi.routes();
        List<ApiRoute> registered = new ArrayList<>();
        Javalin app = Javalin.create(config -> {
            ApiErrors.addTo(config.routes);
            registered.addAll(api.routeTable().addTo(config.routes, new HeaderGuard(java.time.Clock.systemUTC(), e -> { }), e -> { }));
        });
        Set<String> javalins = new TreeSet<>();
        for (ParsedEndpoint endpoint : app.unsafe.internalRouter.allHttpHandlers()) {
            javalins.add(endpoint.endpoint.method.name() + " " + endpoint.endpoint.path);
        }
        Set<String> fromRegistration = new TreeSet<>(registered.stream().map(ApiRoute::toString).toList());
        Set<String> documented = documented(new OpenApiDocument(api.routeTable()).json());

        assertThat(fromRegistration).isNotEmpty();
        assertThat(javalins).as("Javalin's own route list").isEqualTo(fromRegistration);
        assertThat(documented).as("paths and methods of /api/openapi.json").isEqualTo(fromRegistration);
    }

    @Test
    void documentDeclaresParametersSecurityAndAnswers() {
        ObjectNode doc = new OpenApiDocument(UnconnectedApi.routes().routeTable()).json();
        assertThat(doc.path("openapi").asText()).startsWith("3.0");
        JsonNode approve = doc.path("paths").path("/api/operations/{id}/approve").path("post");
        assertThat(approve.path("parameters").get(0).path("name").asText()).isEqualTo("id");
        assertThat(approve.path("parameters").get(0).path("in").asText()).isEqualTo("path");
        assertThat(approve.path("responses").has("401")).isTrue();
        assertThat(approve.path("responses").has("403")).isTrue();
        assertThat(approve.path("security").toString()).contains("bearer").contains("csrf");
        JsonNode backup = doc.path("paths").path("/api/backups").path("post");
        assertThat(backup.path("responses").has("202")).isTrue();
        assertThat(backup.path("requestBody").path("content").path("application/json").path("schema").path("properties").has("database"))
                .isTrue();
        JsonNode openDoc = doc.path("paths").path("/api/openapi.json").path("get");
        assertThat(openDoc.path("security").isEmpty()).isTrue();
        assertThat(openDoc.path("responses").has("401")).isFalse();
        assertThat(doc.path("components").path("securitySchemes").path("session").path("name").asText()).isEqualTo("cellar_session");
        assertThat(doc.path("components").path("securitySchemes").path("csrf").path("name").asText()).isEqualTo("X-CSRF-Token");
    }

    private static Set<String> documented(ObjectNode doc) {
        Set<String> routes = new TreeSet<>();
        Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> routes.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey()));
        }
        return routes;
    }
}
