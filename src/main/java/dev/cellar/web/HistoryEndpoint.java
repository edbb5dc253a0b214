package dev.cellar.web;

import dev.cellar.web.api.ApiErrors;
import dev.cellar.web.api.ApiProblem;
import dev.cellar.web.ui.HistoryService;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/** {@code GET /api/catalog/history?database=&days=}: the history the dashboard's charts draw, as JSON. */
final class HistoryEndpoint implements Handler {
    private final HistoryService history;

    HistoryEndpoint(HistoryService history) {
        this.history = history;
    }

    @Override
    public void handle(Context ctx) {
        String database = ctx.queryParam("database");
        if (database == null || database.isBlank()) {
            throw ApiProblem.badRequest("the query parameter database is missing", "name one of " + history.databases());
        }
        String daysText = ctx.queryParam("days");
        int days;
        try {
            days = daysText == null || daysText.isBlank() ? 30 : Integer.parseInt(daysText.strip());
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("days must be a number, not '" + daysText + "'", "use days=30, 90 or 365");
        }
        if (!HistoryService.WINDOWS.contains(days)) {
            throw ApiProblem.badRequest("days must be 30, 90 or 365, not " + days, "use days=30, 90 or 365");
        }
        ApiErrors.json(ctx, history.history(database.strip(), days));
    }
}
