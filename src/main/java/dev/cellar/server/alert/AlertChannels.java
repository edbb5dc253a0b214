package dev.cellar.server.alert;

import dev.cellar.config.AlertsConfig;
import dev.cellar.config.SecretPrompter;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Builds the configured channels, reading their secrets once at start-up (a daemon has nobody to prompt). */
public final class AlertChannels {
    private AlertChannels() {
    }

    public static List<AlertChannel> from(AlertsConfig config, Map<String, String> env, Clock clock) {
        SecretPrompter nobody = secret -> {
            throw new CellarException(ErrorCode.CONFIG_INVALID, secret.key() + " cannot be prompted for in a server",
                    secret.alternatives());
        };
        List<AlertChannel> channels = new ArrayList<>();
        if (config.smtp() != null) {
            char[] password = config.smtp().password() == null ? null : config.smtp().password().resolve(nobody, env);
            channels.add(new EmailChannel(config.smtp(), password, new Properties()));
        }
        if (config.webhook() != null) {
            char[] secret = config.webhook().secret() == null ? null : config.webhook().secret().resolve(nobody, env);
            channels.add(new WebhookChannel(config.webhook(), secret, clock));
        }
        return channels;
    }
}
