package dev.cellar.web.api;

import dev.cellar.config.CellarConfig;
import dev.cellar.config.ConfigLoader;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The API's routes built on a default configuration with no catalog behind them: enough to read the table and the document. */
final class UnconnectedApi {
    private UnconnectedApi() {
    }

    static ApiRoutes routes() {
        CellarConfig config = ConfigLoader.load(null, Map.of(), Map.of());
        Clock clock = Clock.systemUTC();
        List<Object> audited = new ArrayList<>();
        OperationRegistry registry = new OperationRegistry(null, (request, progress) -> null, clock, Duration.ofHours(1));
        return new ApiRoutes(config, null, registry, audited::add, new HeaderGuard(clock, audited::add), clock, message -> { },
                null, null);
    }
}
