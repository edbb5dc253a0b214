package dev.cellar.config;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * The thresholds of the alert conditions and the channels alerts go out on (see docs/alerts.md).
 *
 * @param sizeDeviationPercent   a backup whose size is further than this from the median of the
 *                               comparable ones before it is reported
 * @param sizeComparableBackups  how many earlier backups of the same database and kind form that median
 * @param walDelayMinutes        newest archived WAL segment older than this, while WAL waits: reported
 * @param streamLagMib           a WAL stream further behind the server than this is reported
 * @param spaceFreePercent       a repository folder with less free space than this is reported
 * @param spaceDaysUntilFull     a folder projected to fill within this many days is reported
 * @param bucketQuotaGib         usage of a bucket is held against this quota; 0: no quota
 * @param copyBehindMinutes      a copy of the repository behind for longer than this is reported
 * @param verifyMaxDays          a database with no passed verification (or restore test) for this long is reported
 * @param remindMinutes          an open incident is notified again this often; 0: never
 * @param smtp                   the alert e-mail; null when not configured
 * @param webhook                the alert webhook; null when not configured
 */
public record AlertsConfig(int sizeDeviationPercent, int sizeComparableBackups, int walDelayMinutes, int streamLagMib,
        int spaceFreePercent, int spaceDaysUntilFull, int bucketQuotaGib, int copyBehindMinutes, int verifyMaxDays,
        int remindMinutes, Smtp smtp, Webhook webhook) {
    public static final int DEFAULT_SIZE_DEVIATION_PERCENT = 20;
    public static final int DEFAULT_SIZE_COMPARABLE_BACKUPS = 7;
    public static final int DEFAULT_WAL_DELAY_MINUTES = 15;
    public static final int DEFAULT_STREAM_LAG_MIB = 64;
    public static final int DEFAULT_SPACE_FREE_PERCENT = 15;
    public static final int DEFAULT_SPACE_DAYS_UNTIL_FULL = 14;
    public static final int DEFAULT_COPY_BEHIND_MINUTES = 60;
    public static final int DEFAULT_VERIFY_MAX_DAYS = 8;
    public static final int DEFAULT_REMIND_MINUTES = 240;
    public static final int DEFAULT_SMTP_PORT = 587;

    public AlertsConfig {
        ConfigKey.ALERTS_SIZE_DEVIATION_PERCENT.checkRange(sizeDeviationPercent);
        ConfigKey.ALERTS_SIZE_COMPARABLE_BACKUPS.checkRange(sizeComparableBackups);
        ConfigKey.ALERTS_WAL_DELAY_MINUTES.checkRange(walDelayMinutes);
        ConfigKey.ALERTS_STREAM_LAG_MIB.checkRange(streamLagMib);
        ConfigKey.ALERTS_SPACE_FREE_PERCENT.checkRange(spaceFreePercent);
        ConfigKey.ALERTS_SPACE_DAYS_UNTIL_FULL.checkRange(spaceDaysUntilFull);
        ConfigKey.ALERTS_BUCKET_QUOTA_GIB.checkRange(bucketQuotaGib);
        ConfigKey.ALERTS_COPY_BEHIND_MINUTES.checkRange(copyBehindMinutes);
        ConfigKey.ALERTS_VERIFY_MAX_DAYS.checkRange(verifyMaxDays);
        ConfigKey.ALERTS_REMIND_MINUTES.checkRange(remindMinutes);
    }

    /** The defaults, with no channel: what a configuration without an {@code alerts} section gets. */
    public static AlertsConfig defaults() {
        return new AlertsConfig(DEFAULT_SIZE_DEVIATION_PERCENT, DEFAULT_SIZE_COMPARABLE_BACKUPS, DEFAULT_WAL_DELAY_MINUTES,
                DEFAULT_STREAM_LAG_MIB, DEFAULT_SPACE_FREE_PERCENT, DEFAULT_SPACE_DAYS_UNTIL_FULL, 0, DEFAULT_COPY_BEHIND_MINUTES,
                DEFAULT_VERIFY_MAX_DAYS, DEFAULT_REMIND_MINUTES, null, null);
    }

    /** How the SMTP connection is protected: STARTTLS demanded, used when offered, or never. */
    public enum StartTls { REQUIRED, OPTIONAL, OFF }

    /** {@code json}: Cellar's own signed document; {@code slack}: {@code {"text": ...}} for Slack-compatible receivers. */
    public enum WebhookFormat { JSON, SLACK }

    /**
     * @param password      where the SMTP password comes from; null to send without logging in
     * @param tlsMinVersion the lowest TLS version STARTTLS may negotiate (alerts.tls-min-version)
     */
    public record Smtp(String host, int port, StartTls startTls, String user, SecretSource password, String from, List<String> to,
            TlsMinVersion tlsMinVersion) {
        public Smtp {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(startTls, "startTls");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(tlsMinVersion, "tlsMinVersion");
            to = List.copyOf(to);
            ConfigKey.ALERTS_SMTP_PORT.checkRange(port);
        }

        /** With TLS 1.2 at least. */
        public Smtp(String host, int port, StartTls startTls, String user, SecretSource password, String from, List<String> to) {
            this(host, port, startTls, user, password, from, to, TlsMinVersion.TLS_1_2);
        }
    }

    /**
     * @param secret        where the HMAC signing secret comes from; null for an unsigned (Slack) webhook
     * @param tlsMinVersion the lowest TLS version an https URL may negotiate (alerts.tls-min-version)
     */
    public record Webhook(URI url, SecretSource secret, WebhookFormat format, TlsMinVersion tlsMinVersion) {
        public Webhook {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(tlsMinVersion, "tlsMinVersion");
        }

        /** With TLS 1.2 at least. */
        public Webhook(URI url, SecretSource secret, WebhookFormat format) {
            this(url, secret, format, TlsMinVersion.TLS_1_2);
        }
    }
}
