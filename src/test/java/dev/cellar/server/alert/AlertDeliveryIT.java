package dev.cellar.server.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import dev.cellar.config.AlertsConfig;
import dev.cellar.it.TestFolders;
import dev.cellar.pg.LocalCluster;
import dev.cellar.server.catalog.TestCatalogs;
import dev.cellar.pg.PgBinaries;
import dev.cellar.repo.MutableClock;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Incidents and their notifications end to end: a real PostgreSQL catalog migrated by Flyway, a
 * real SMTP server (GreenMail) and a real HTTP receiver, with a fake clock for reminders and
 * retries. GreenMail 2.1.13 offers no STARTTLS, so e-mail goes with {@code starttls: optional}
 * here, and {@code required} is shown to refuse such a server.
 */
class AlertDeliveryIT {
    private static final Instant START = Instant.parse("2027-03-10T02:00:00Z");
    private static final String SECRET = dev.cellar.secrets.KnownSecrets.register("webhook-test-secret");
    private static final Duration REMIND = Duration.ofMinutes(240);

    private static LocalCluster cluster;
    private static PGSimpleDataSource catalog;
    private static int smtpPort;
    private static GreenMail smtp;
    private static HttpServer receiver;
    private static final List<Received> webhooks = new CopyOnWriteArrayList<>();

    private MutableClock clock;
    private IncidentTracker tracker;
    private OutboxDelivery delivery;

    record Received(Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        JsonNode json() throws IOException {
            return NoticeJson.MAPPER.readTree(body);
        }
    }

    @BeforeAll
    static void startCatalogMailAndReceiver() throws Exception {
        cluster = LocalCluster.start(TestFolders.create("cellar-alerts-it-pg"), PgBinaries.locate(null));
        catalog = TestCatalogs.migrated(cluster, "postgres");
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            smtpPort = socket.getLocalPort();
        }
        startSmtp();
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            webhooks.add(new Received(Map.copyOf(exchange.getRequestHeaders()), exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stopAll() {
        if (receiver != null) {
            receiver.stop(0);
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void startSmtp() {
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    @BeforeEach
    void emptyCatalogAndInboxes() throws Exception {
        sql("TRUNCATE cellar.alert_notification, cellar.alert_incident");
        if (!smtp.isRunning()) {
            startSmtp();
        }
        smtp.purgeEmailFromAllMailboxes();
        webhooks.clear();
        clock = new MutableClock(START);
        tracker = new IncidentTracker(catalog, CatalogClock.of(clock), new IncidentPlanner(REMIND), List.of(EmailChannel.NAME, WebhookChannel.NAME));
        delivery = new OutboxDelivery(catalog, CatalogClock.of(clock), channels(AlertsConfig.StartTls.OPTIONAL), RetryBackoff.DEFAULT);
    }

    private List<AlertChannel> channels(AlertsConfig.StartTls startTls) {
        AlertsConfig.Smtp mail = new AlertsConfig.Smtp("127.0.0.1", smtpPort, startTls, null, null, "cellar@db1.example.com",
                List.of("dba@example.com"));
        AlertsConfig.Webhook hook = new AlertsConfig.Webhook(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"), null,
                AlertsConfig.WebhookFormat.JSON);
        return List.of(new EmailChannel(mail, null, new Properties()), new WebhookChannel(hook, SECRET.toCharArray(), clock));
    }

    private static Finding backupFailed(String database) {
        return new Finding(JobFailedCondition.NAME, "backup-failed:" + database + ":full", Severity.CRITICAL, database,
                "backup full of " + database + " failed", "error: connection refused", "start the database", START);
    }

    private Evaluation found(Finding... findings) {
        return new Evaluation(clock.instant(), Set.of(JobFailedCondition.NAME), List.of(findings));
    }

    private static List<String> subjects() throws Exception {
        List<String> subjects = new ArrayList<>();
        for (MimeMessage message : smtp.getReceivedMessages()) {
            subjects.add(message.getSubject());
        }
        return subjects;
    }

    @Test
    void anIncidentFoundTwiceSendsOneEmailAndOneSignedWebhook() throws Exception {
        assertThat(tracker.track(found(backupFailed("restaurant_ordering"))).opened()).containsExactly("backup-failed:restaurant_ordering:full");
        assertThat(tracker.track(found(backupFailed("restaurant_ordering"))).opened()).isEmpty();

        assertThat(delivery.deliverDue().delivered()).isEqualTo(2);
        assertThat(delivery.deliverDue().delivered()).isZero();

        assertThat(subjects()).containsExactly("[Cellar CRITICAL] backup full of restaurant_ordering failed");
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertThat(mail.getHeader("X-Cellar-Incident")[0]).isEqualTo("backup-failed:restaurant_ordering:full");
        assertThat(((String) mail.getContent())).contains("Where:    restaurant_ordering").contains("What to do: start the database");

        assertThat(webhooks).singleElement().satisfies(hook -> {
            String timestamp = hook.header(WebhookSignature.TIMESTAMP_HEADER);
            assertThat(timestamp).isEqualTo(Long.toString(START.getEpochSecond()));
            assertThat(WebhookSignature.verify(SECRET.getBytes(StandardCharsets.UTF_8), timestamp, hook.body(),
                    hook.header(WebhookSignature.SIGNATURE_HEADER))).as("signature verifies with the secret").isTrue();
            assertThat(WebhookSignature.verify("wrong".getBytes(StandardCharsets.UTF_8), timestamp, hook.body(),
                    hook.header(WebhookSignature.SIGNATURE_HEADER))).isFalse();
            assertThat(hook.json().get("kind").asText()).isEqualTo("opened");
            assertThat(hook.json().at("/incident/key").asText()).isEqualTo("backup-failed:restaurant_ordering:full");
        });
    }

    @Test
    void aReminderComesAfterTheIntervalAndOneResolvedNoticeWhenTheFindingIsGone() throws Exception {
        tracker.track(found(backupFailed("restaurant_ordering")));
        delivery.deliverDue();
        clock.advance(REMIND.minusSeconds(1));
        assertThat(tracker.track(found(backupFailed("restaurant_ordering"))).reminded()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(tracker.track(found(backupFailed("restaurant_ordering"))).reminded()).containsExactly("backup-failed:restaurant_ordering:full");
        assertThat(tracker.track(found(backupFailed("restaurant_ordering"))).reminded()).as("not twice for one interval").isEmpty();
        delivery.deliverDue();

        clock.advance(Duration.ofMinutes(10));
        assertThat(tracker.track(found()).resolved()).containsExactly("backup-failed:restaurant_ordering:full");
        assertThat(tracker.track(found()).resolved()).isEmpty();
        delivery.deliverDue();

        assertThat(subjects()).containsExactly("[Cellar CRITICAL] backup full of restaurant_ordering failed",
                "[Cellar CRITICAL, still open] backup full of restaurant_ordering failed",
                "[Cellar RESOLVED] backup full of restaurant_ordering failed");
        List<String> kinds = new ArrayList<>();
        for (Received hook : webhooks) {
            kinds.add(hook.json().get("kind").asText());
        }
        assertThat(kinds).containsExactly("opened", "reminder", "resolved");
        assertThat((String) smtp.getReceivedMessages()[2].getContent()).contains("Resolved: 2027-03-10 06:10:00 UTC, after 4 h 10 min");
        MimeMessage[] mails = smtp.getReceivedMessages();
        assertThat(mails[0].getMessageID()).startsWith("<cellar-incident-");
        assertThat(mails[1].getHeader("In-Reply-To")[0]).as("one mail thread per incident").isEqualTo(mails[0].getMessageID());
        assertThat(mails[2].getHeader("In-Reply-To")[0]).isEqualTo(mails[0].getMessageID());

        // the same key found again later is a new incident, notified again
        assertThat(tracker.track(found(backupFailed("restaurant_ordering"))).opened()).hasSize(1);
    }

    @Test
    void withTheMailServerDownForAnHourNotificationsWaitAndArriveOnceInOrder() throws Exception {
        smtp.stop();
        tracker.track(found(backupFailed("first_db")));
        clock.advance(Duration.ofSeconds(1));
        tracker.track(found(backupFailed("first_db"), backupFailed("second_db")));

        OutboxDelivery.DeliveryReport report = delivery.deliverDue();
        assertThat(report.delivered()).as("the webhook is not held up by the mail server").isEqualTo(2);
        assertThat(report.errors()).singleElement().asString().startsWith("email: SMTP 127.0.0.1:" + smtpPort + " did not take the e-mail");
        assertThat(delivery.deliverDue().failed()).as("not due again before its back-off").isZero();
        for (int minutes = 0; minutes < 60; minutes += 10) {
            clock.advance(Duration.ofMinutes(10));
            assertThat(delivery.deliverDue().failed()).isEqualTo(1);
        }
        assertThat(pendingEmailSubjectsOfIncidents()).containsExactly("first_db", "second_db");

        startSmtp();
        assertThat(delivery.deliverDue().delivered()).as("still waiting for its back-off").isZero();
        clock.advance(RetryBackoff.DEFAULT.cap());
        assertThat(delivery.deliverDue().delivered()).isEqualTo(2);
        assertThat(delivery.deliverDue().delivered()).isZero();
        assertThat(subjects()).containsExactly("[Cellar CRITICAL] backup full of first_db failed", "[Cellar CRITICAL] backup full of second_db failed");
        assertThat(webhooks).hasSize(2);
        assertThat(attemptsOfFirstEmail()).isEqualTo(8);
    }

    @Test
    void twoDeliveryLoopsAtOnceDeliverEachNotificationOnceAndInOrder() throws Exception {
        int incidents = 15;
        List<Finding> failures = new ArrayList<>();
        for (int i = 0; i < incidents; i++) {
            failures.add(backupFailed("db_" + i));
        }
        assertThat(tracker.track(found(failures.toArray(Finding[]::new))).opened()).hasSize(incidents);
        OutboxDelivery other = new OutboxDelivery(catalog, CatalogClock.of(clock), channels(AlertsConfig.StartTls.OPTIONAL), RetryBackoff.DEFAULT);
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> a = pool.submit(() -> loopUntilEmpty(delivery, together));
            Future<Integer> b = pool.submit(() -> loopUntilEmpty(other, together));
            assertThat(a.get() + b.get()).isEqualTo(2 * incidents);
        } finally {
            pool.shutdownNow();
        }
        assertThat(smtp.getReceivedMessages()).hasSize(incidents);
        List<Long> ids = new ArrayList<>();
        for (Received hook : webhooks) {
            ids.add(hook.json().get("notification").asLong());
        }
        assertThat(ids).hasSize(incidents).doesNotHaveDuplicates().isSorted();
        assertThat(scalar("SELECT count(*) FROM cellar.alert_notification WHERE delivered_at IS NULL OR attempts <> 1")).isZero();
    }

    @Test
    void twoTrackersEvaluatingAtOnceOpenOneIncident() throws Exception {
        IncidentTracker second = new IncidentTracker(catalog, CatalogClock.of(clock), new IncidentPlanner(REMIND),
                List.of(EmailChannel.NAME, WebhookChannel.NAME));
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Evaluation evaluation = found(backupFailed("restaurant_ordering"));
            Future<IncidentTracker.TrackResult> a = pool.submit(() -> {
                together.await();
                return tracker.track(evaluation);
            });
            Future<IncidentTracker.TrackResult> b = pool.submit(() -> {
                together.await();
                return second.track(evaluation);
            });
            assertThat(a.get().opened().size() + b.get().opened().size()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(scalar("SELECT count(*) FROM cellar.alert_incident")).isEqualTo(1);
        assertThat(scalar("SELECT count(*) FROM cellar.alert_notification")).isEqualTo(2);
    }

    @Test
    void starttlsRequiredRefusesAMailServerThatDoesNotOfferIt() {
        AlertChannel email = channels(AlertsConfig.StartTls.REQUIRED).get(0);
        Notice notice = new Notice(1, "k", "job-failed", NoticeKind.OPENED, Severity.CRITICAL, "db", "s", "d", "a", null, START, START, 0);
        assertThatThrownBy(() -> email.send(1, notice)).isInstanceOf(ChannelException.class).hasMessageContaining("STARTTLS");
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    private static int loopUntilEmpty(OutboxDelivery delivery, CyclicBarrier together) throws Exception {
        together.await();
        int delivered = 0;
        for (int round = 0; round < 50; round++) {
            delivered += delivery.deliverDue().delivered();
            if (scalar("SELECT count(*) FROM cellar.alert_notification WHERE delivered_at IS NULL") == 0) {
                break;
            }
        }
        return delivered;
    }

    private static List<String> pendingEmailSubjectsOfIncidents() throws SQLException {
        List<String> subjects = new ArrayList<>();
        try (Connection c = catalog.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT payload->>'subject' FROM cellar.alert_notification WHERE channel = 'email' "
                        + "AND delivered_at IS NULL ORDER BY id")) {
            while (rs.next()) {
                subjects.add(rs.getString(1));
            }
        }
        return subjects;
    }

    private static long attemptsOfFirstEmail() throws SQLException {
        return scalar("SELECT attempts FROM cellar.alert_notification WHERE channel = 'email' ORDER BY id LIMIT 1");
    }

    private static long scalar(String query) throws SQLException {
        try (Connection c = catalog.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = catalog.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
