package dev.cellar.server.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cellar.config.AlertsConfig;
import dev.cellar.config.TlsMinVersion;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Alert webhooks: an HTTP POST of the notice as JSON, signed with {@link WebhookSignature} when a
 * secret is configured, or Slack's {@code {"text": ...}}. Any 2xx answer is delivery; anything
 * else is retried later.
 */
public final class WebhookChannel implements AlertChannel {
    public static final String NAME = "webhook";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int ANSWER_CHARS = 300;

    private final AlertsConfig.Webhook webhook;
    private final byte[] secret;
    private final Clock clock;
    private final HttpClient http;

    /** @param secret the signing secret; null for no signature */
    public WebhookChannel(AlertsConfig.Webhook webhook, char[] secret, Clock clock) {
        this.webhook = webhook;
        this.secret = secret == null ? null : new String(secret).getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER)
                .sslParameters(tlsParameters(webhook.tlsMinVersion())).build();
    }

    /** The JDK's default TLS parameters with only the protocols at or above the minimum. */
    static SSLParameters tlsParameters(TlsMinVersion minVersion) {
        SSLParameters parameters;
        try {
            parameters = SSLContext.getDefault().getDefaultSSLParameters();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
        parameters.setProtocols(minVersion.protocols().toArray(String[]::new));
        return parameters;
    }

    /** The HTTP client the webhook is posted with. */
    HttpClient httpClient() {
        return http;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void send(long notificationId, Notice notice) throws ChannelException {
        byte[] body = body(notificationId, notice).getBytes(StandardCharsets.UTF_8);
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        HttpRequest.Builder request = HttpRequest.newBuilder(webhook.url()).timeout(TIMEOUT)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Cellar")
                .header("X-Cellar-Notification", Long.toString(notificationId))
                .header(WebhookSignature.TIMESTAMP_HEADER, timestamp)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (secret != null) {
            request.header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret, timestamp, body));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ChannelException("webhook " + webhook.url() + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelException("interrupted while posting to webhook " + webhook.url(), e);
        }
        if (response.statusCode() / 100 != 2) {
            String answer = response.body() == null ? "" : response.body();
            throw new ChannelException("webhook " + webhook.url() + " answered HTTP " + response.statusCode() + ": "
                    + (answer.length() > ANSWER_CHARS ? answer.substring(0, ANSWER_CHARS) : answer));
        }
    }

    String body(long notificationId, Notice notice) {
        ObjectNode root = NoticeJson.MAPPER.createObjectNode();
        if (webhook.format() == AlertsConfig.WebhookFormat.SLACK) {
            root.put("text", NoticeText.chat(notice));
        } else {
            root.put("notification", notificationId);
            root.put("kind", notice.kind().word());
            root.put("text", NoticeText.subject(notice));
            root.set("incident", NoticeJson.MAPPER.valueToTree(new NoticeJson.Stored(notice)));
        }
        try {
            return NoticeJson.MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a webhook body could not be written", e);
        }
    }
}
