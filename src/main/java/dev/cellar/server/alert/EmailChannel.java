package dev.cellar.server.alert;

import dev.cellar.config.AlertsConfig;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;

/**
 * Alert e-mail over SMTP (Angus Mail), protected by STARTTLS as configured: {@code required}
 * refuses a server that does not offer it, so a password or an alert never crosses the network
 * in clear by accident. The server's certificate and host name are checked against the JVM's
 * trusted certificates.
 */
public final class EmailChannel implements AlertChannel {
    public static final String NAME = "email";
    private static final String TIMEOUT_MILLIS = "20000";

    private final AlertsConfig.Smtp smtp;
    private final String password;
    private final Session session;

    /**
     * @param password the SMTP password; null to send without logging in
     * @param extra    further Jakarta Mail session properties (tests trust their own server's certificate with them)
     */
    public EmailChannel(AlertsConfig.Smtp smtp, char[] password, Properties extra) {
        this.smtp = smtp;
        this.password = password == null ? null : new String(password);
        Properties properties = new Properties();
        properties.setProperty("mail.smtp.host", smtp.host());
        properties.setProperty("mail.smtp.port", Integer.toString(smtp.port()));
        properties.setProperty("mail.smtp.connectiontimeout", TIMEOUT_MILLIS);
        properties.setProperty("mail.smtp.timeout", TIMEOUT_MILLIS);
        properties.setProperty("mail.smtp.writetimeout", TIMEOUT_MILLIS);
        properties.setProperty("mail.smtp.starttls.enable", Boolean.toString(smtp.startTls() != AlertsConfig.StartTls.OFF));
        properties.setProperty("mail.smtp.starttls.required", Boolean.toString(smtp.startTls() == AlertsConfig.StartTls.REQUIRED));
        properties.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        // also the protocols STARTTLS may negotiate, not only those of an SSL-from-the-start connection
        properties.setProperty("mail.smtp.ssl.protocols", smtp.tlsMinVersion().spaceSeparated());
        properties.setProperty("mail.smtp.auth", Boolean.toString(smtp.user() != null && password != null));
        properties.putAll(extra);
        this.session = Session.getInstance(properties);
    }

    /** The mail session's settings, as the sender uses them. */
    Properties sessionProperties() {
        return session.getProperties();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void send(long notificationId, Notice notice) throws ChannelException {
        try {
            MimeMessage message = new ThreadedMessage(session, notice.kind() == NoticeKind.OPENED
                    ? incidentMessageId(notice) : "<cellar-notification-" + notificationId + "@cellar>");
            message.setFrom(new InternetAddress(smtp.from()));
            for (String to : smtp.to()) {
                message.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
            }
            message.setSubject(NoticeText.subject(notice), StandardCharsets.UTF_8.name());
            message.setText(NoticeText.body(notice), StandardCharsets.UTF_8.name());
            message.setSentDate(Date.from(notice.at()));
            // one thread per incident in mail clients; receivers may drop a repeat of the same notification id
            message.setHeader("X-Cellar-Incident", notice.key());
            message.setHeader("X-Cellar-Notification", Long.toString(notificationId));
            if (notice.kind() != NoticeKind.OPENED) {
                // reminders and the resolution answer the opening mail, so a mail client shows one thread per incident
                message.setHeader("In-Reply-To", incidentMessageId(notice));
                message.setHeader("References", incidentMessageId(notice));
            }
            if (smtp.user() != null && password != null) {
                Transport.send(message, smtp.user(), password);
            } else {
                Transport.send(message);
            }
        } catch (MessagingException e) {
            throw new ChannelException("SMTP " + smtp.host() + ":" + smtp.port() + " did not take the e-mail: " + describe(e), e);
        }
    }

    private static String incidentMessageId(Notice notice) {
        return "<cellar-incident-" + notice.incidentId() + "-" + notice.openedAt().toEpochMilli() + "@cellar>";
    }

    /** A message that keeps the Message-ID given to it (Jakarta Mail would make up a new one on sending). */
    private static final class ThreadedMessage extends MimeMessage {
        private final String messageId;

        ThreadedMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(": ").append(cause.getMessage());
        }
        return text.toString();
    }
}
