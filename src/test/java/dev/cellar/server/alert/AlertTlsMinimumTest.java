package dev.cellar.server.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.config.AlertsConfig;
import dev.cellar.config.TlsMinVersion;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** alerts.tls-min-version reaches the mail session (STARTTLS included) and the webhook's HTTP client. */
class AlertTlsMinimumTest {
    private static AlertsConfig.Smtp smtp(TlsMinVersion version) {
        return new AlertsConfig.Smtp("mail.example.com", 587, AlertsConfig.StartTls.REQUIRED, null, null, "cellar@example.com",
                List.of("dba@example.com"), version);
    }

    @Test
    void theMailSessionOffersOnlyProtocolsAtOrAboveTheMinimum() {
        Properties tls13 = new EmailChannel(smtp(TlsMinVersion.TLS_1_3), null, new Properties()).sessionProperties();
        assertThat(tls13.getProperty("mail.smtp.ssl.protocols")).isEqualTo("TLSv1.3");
        assertThat(tls13.getProperty("mail.smtp.starttls.required")).isEqualTo("true");
        Properties tls12 = new EmailChannel(smtp(TlsMinVersion.TLS_1_2), null, new Properties()).sessionProperties();
        assertThat(tls12.getProperty("mail.smtp.ssl.protocols")).isEqualTo("TLSv1.3 TLSv1.2");
    }

    @Test
    void theWebhookClientOffersOnlyProtocolsAtOrAboveTheMinimum() {
        WebhookChannel tls13 = new WebhookChannel(new AlertsConfig.Webhook(URI.create("https://hooks.example.com/x"), null,
                AlertsConfig.WebhookFormat.SLACK, TlsMinVersion.TLS_1_3), null, Clock.systemUTC());
        assertThat(tls13.httpClient().sslParameters().getProtocols()).containsExactly("TLSv1.3");
        WebhookChannel byDefault = new WebhookChannel(new AlertsConfig.Webhook(URI.create("https://hooks.example.com/x"), null,
                AlertsConfig.WebhookFormat.SLACK), null, Clock.systemUTC());
        assertThat(byDefault.httpClient().sslParameters().getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    }
}
