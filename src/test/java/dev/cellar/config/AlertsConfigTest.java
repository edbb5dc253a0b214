package dev.cellar.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.error.CellarException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The alerts section: defaults, channels, their secrets, and the settings that must go together. */
class AlertsConfigTest {

    @Test
    void withoutAnAlertsSectionTheDefaultsApplyAndNoChannelIsConfigured() {
        AlertsConfig alerts = ConfigLoader.load(null, Map.of(), Map.of()).alerts();
        assertThat(alerts).isEqualTo(AlertsConfig.defaults());
        assertThat(alerts.sizeDeviationPercent()).isEqualTo(20);
        assertThat(alerts.sizeComparableBackups()).isEqualTo(7);
        assertThat(alerts.verifyMaxDays()).isEqualTo(8);
        assertThat(alerts.remindMinutes()).isEqualTo(240);
    }

    @Test
    void emailAndWebhookAreReadWithWhereTheirSecretsComeFrom() {
        AlertsConfig alerts = ConfigLoader.load(null, Map.of("CELLAR_ALERTS_SMTP_HOST", "smtp.example.com",
                "CELLAR_ALERTS_EMAIL_TO", "dba@example.com, oncall@example.com"), Map.of(
                "alerts.email-from", "cellar@db1.example.com",
                "alerts.smtp-user", "cellar",
                "alerts.smtp-password-env", "MY_SMTP_PW",
                "alerts.webhook-url", "https://hooks.example.com/cellar",
                "alerts.webhook-secret-env", "HOOK_SECRET",
                "alerts.size-deviation-percent", "30")).alerts();
        assertThat(alerts.sizeDeviationPercent()).isEqualTo(30);
        assertThat(alerts.smtp().port()).isEqualTo(587);
        assertThat(alerts.smtp().startTls()).isEqualTo(AlertsConfig.StartTls.REQUIRED);
        assertThat(alerts.smtp().to()).containsExactly("dba@example.com", "oncall@example.com");
        assertThat(alerts.smtp().password()).isEqualTo(new SecretSource.FromEnv(SecretName.ALERTS_SMTP_PASSWORD, "MY_SMTP_PW"));
        assertThat(alerts.webhook().format()).isEqualTo(AlertsConfig.WebhookFormat.JSON);
        assertThat(alerts.webhook().secret()).isEqualTo(new SecretSource.FromEnv(SecretName.ALERTS_WEBHOOK_SECRET, "HOOK_SECRET"));
    }

    @Test
    void theSecretsOwnVariablesApplyWhenNoFileOrNameIsSet() {
        AlertsConfig alerts = ConfigLoader.load(null, Map.of("CELLAR_WEBHOOK_SECRET", "x"),
                Map.of("alerts.webhook-url", "http://127.0.0.1:9000/hook")).alerts();
        assertThat(alerts.webhook().secret()).isEqualTo(new SecretSource.FromEnv(SecretName.ALERTS_WEBHOOK_SECRET, "CELLAR_WEBHOOK_SECRET"));
    }

    @Test
    void anSmtpHostWithoutRecipientsAJsonWebhookWithoutASecretAndABadStarttlsAreRefused() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("alerts.smtp-host", "smtp.example.com",
                "alerts.email-from", "cellar@example.com"))).isInstanceOf(CellarException.class).hasMessageContaining("alerts.email-to");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("alerts.webhook-url", "https://hooks.example.com/x")))
                .isInstanceOf(CellarException.class).hasMessageContaining("alerts.webhook-secret-file");
        assertThat(ConfigLoader.load(null, Map.of(), Map.of("alerts.webhook-url", "https://hooks.example.com/x",
                "alerts.webhook-format", "slack")).alerts().webhook().secret()).as("a slack webhook may be unsigned").isNull();
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("alerts.smtp-host", "h", "alerts.email-from", "a@b",
                "alerts.email-to", "c@d", "alerts.smtp-starttls", "maybe"))).isInstanceOf(CellarException.class)
                .hasMessageContaining("alerts.smtp-starttls must be one of required, optional, off");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("alerts.webhook-url", "ftp://x/y", "alerts.webhook-format", "slack")))
                .isInstanceOf(CellarException.class).hasMessageContaining("alerts.webhook-url must be an http(s)");
    }
}
