package dev.cellar.server.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.config.AlertsConfig;
import dev.cellar.config.SecretName;
import dev.cellar.config.SecretSource;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configured channels are built with their secrets read once, and a missing secret stops the start. */
class AlertChannelsTest {
    private static AlertsConfig with(AlertsConfig.Smtp smtp, AlertsConfig.Webhook webhook) {
        AlertsConfig d = AlertsConfig.defaults();
        return new AlertsConfig(d.sizeDeviationPercent(), d.sizeComparableBackups(), d.walDelayMinutes(), d.streamLagMib(), d.spaceFreePercent(),
                d.spaceDaysUntilFull(), d.bucketQuotaGib(), d.copyBehindMinutes(), d.verifyMaxDays(), d.remindMinutes(), smtp, webhook);
    }

    private static final AlertsConfig.Smtp SMTP = new AlertsConfig.Smtp("smtp.example.com", 587, AlertsConfig.StartTls.REQUIRED, "cellar",
            new SecretSource.FromEnv(SecretName.ALERTS_SMTP_PASSWORD, "SMTP_PW"), "cellar@example.com", List.of("dba@example.com"));
    private static final AlertsConfig.Webhook HOOK = new AlertsConfig.Webhook(URI.create("https://hooks.example.com/x"),
            new SecretSource.FromEnv(SecretName.ALERTS_WEBHOOK_SECRET, "HOOK_SECRET"), AlertsConfig.WebhookFormat.JSON);

    @Test
    void bothChannelsAreBuiltInTheOrderEmailThenWebhook() {
        List<AlertChannel> channels = AlertChannels.from(with(SMTP, HOOK), Map.of("SMTP_PW", "pw", "HOOK_SECRET", "s"), Clock.systemUTC());
        assertThat(channels).extracting(AlertChannel::name).containsExactly(EmailChannel.NAME, WebhookChannel.NAME);
        assertThat(AlertChannels.from(AlertsConfig.defaults(), Map.of(), Clock.systemUTC())).isEmpty();
    }

    @Test
    void aSecretThatIsNotThereStopsTheStartNamingItsVariable() {
        assertThatThrownBy(() -> AlertChannels.from(with(null, HOOK), Map.of(), Clock.systemUTC()))
                .isInstanceOfSatisfying(CellarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("HOOK_SECRET");
    }
}
