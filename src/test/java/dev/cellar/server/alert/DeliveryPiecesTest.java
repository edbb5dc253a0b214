package dev.cellar.server.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellar.config.AlertsConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The pure parts of delivery: back-off, the webhook signature and bodies, the notice's JSON and words. */
class DeliveryPiecesTest {
    private static final Instant AT = Instant.parse("2027-03-10T05:12:00Z");
    private static final Notice NOTICE = new Notice(42, "backup-failed:restaurant_ordering:full", "job-failed", NoticeKind.OPENED,
            Severity.CRITICAL, "restaurant_ordering", "backup full of restaurant_ordering failed", "error: connection refused",
            "start the database", Instant.parse("2027-03-10T02:00:00Z"), AT, AT, 0);

    @Test
    void backOffDoublesFromThirtySecondsAndStopsAtTheCap() {
        RetryBackoff backoff = RetryBackoff.DEFAULT;
        assertThat(backoff.after(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.after(2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(backoff.after(5)).isEqualTo(Duration.ofSeconds(480));
        assertThat(backoff.after(6)).isEqualTo(Duration.ofMinutes(10));
        assertThat(backoff.after(1000)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aSignatureVerifiesWithTheSecretAndFailsForAnyChange() {
        byte[] secret = "s3cret".getBytes(StandardCharsets.UTF_8);
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        String signature = WebhookSignature.sign(secret, "1804649520", body);
        assertThat(signature).startsWith("sha256=").hasSize(7 + 64);
        assertThat(WebhookSignature.verify(secret, "1804649520", body, signature)).isTrue();
        assertThat(WebhookSignature.verify(secret, "1804649521", body, signature)).isFalse();
        assertThat(WebhookSignature.verify("other".getBytes(StandardCharsets.UTF_8), "1804649520", body, signature)).isFalse();
        assertThat(WebhookSignature.verify(secret, "1804649520", "{\"a\":2}".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
    }

    @Test
    void aNoticeSurvivesTheOutboxPayload() {
        assertThat(NoticeJson.read(NoticeJson.write(NOTICE))).isEqualTo(NOTICE);
    }

    @Test
    void webhookBodiesCarryTheIncidentOrSlacksText() throws Exception {
        WebhookChannel json = new WebhookChannel(new AlertsConfig.Webhook(URI.create("http://127.0.0.1:1/h"), null, AlertsConfig.WebhookFormat.JSON),
                null, Clock.systemUTC());
        JsonNode body = NoticeJson.MAPPER.readTree(json.body(9, NOTICE));
        assertThat(body.get("notification").asLong()).isEqualTo(9);
        assertThat(body.get("kind").asText()).isEqualTo("opened");
        assertThat(body.at("/incident/key").asText()).isEqualTo("backup-failed:restaurant_ordering:full");
        assertThat(body.at("/incident/severity").asText()).isEqualTo("critical");
        assertThat(body.at("/incident/since").asText()).isEqualTo("2027-03-10T02:00:00Z");
        WebhookChannel slack = new WebhookChannel(new AlertsConfig.Webhook(URI.create("http://127.0.0.1:1/h"), null, AlertsConfig.WebhookFormat.SLACK),
                null, Clock.systemUTC());
        JsonNode text = NoticeJson.MAPPER.readTree(slack.body(9, NOTICE));
        assertThat(text.size()).isEqualTo(1);
        assertThat(text.get("text").asText()).startsWith("[Cellar CRITICAL] backup full of restaurant_ordering failed (since 2027-03-10 02:00:00 UTC)")
                .contains("What to do: start the database");
    }

    @Test
    void theEmailSaysWhatWhereSinceWhenAndWhatToDo() {
        assertThat(NoticeText.subject(NOTICE)).isEqualTo("[Cellar CRITICAL] backup full of restaurant_ordering failed");
        assertThat(NoticeText.body(NOTICE)).contains("Where:    restaurant_ordering")
                .contains("Since:    2027-03-10 02:00:00 UTC (3 h 12 min before this notice)")
                .contains("What to do: start the database");
        Notice resolved = new Notice(42, NOTICE.key(), NOTICE.condition(), NoticeKind.RESOLVED, Severity.CRITICAL, NOTICE.subject(),
                NOTICE.summary(), NOTICE.details(), NOTICE.action(), NOTICE.since(), AT, AT.plus(Duration.ofMinutes(30)), 0);
        assertThat(NoticeText.subject(resolved)).startsWith("[Cellar RESOLVED]");
        assertThat(NoticeText.body(resolved)).contains("Resolved: 2027-03-10 05:42:00 UTC, after 30 min").doesNotContain("What to do");
    }
}
