package dev.cellar.server.daemon;

import dev.cellar.app.CellarContext;
import dev.cellar.app.ContextOptions;
import dev.cellar.app.NeverPrompt;
import dev.cellar.config.CellarConfig;
import dev.cellar.config.ScheduledDatabase;
import dev.cellar.config.WalConfig;
import dev.cellar.repo.Repository;
import dev.cellar.server.catalog.Catalog;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalStreamOptions;
import dev.cellar.wal.WalStreamer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

/**
 * Keeps one cluster's WAL streaming into the repository ({@code schedule.wal-stream}), as
 * {@code cellar wal stream} does, for as long as the daemon runs. Of all the servers on one
 * catalog, the one holding a session advisory lock on the catalog streams: a replication slot
 * serves one receiver, and when that server dies its catalog session ends, the lock is free, and
 * another server takes the stream over. The stream reconnects by itself when PostgreSQL goes away;
 * anything else that ends it (the repository unreachable, the slot taken) is logged and retried.
 */
final class WalStreamSupervisor implements AutoCloseable {
    private static final Duration RETRY = Duration.ofSeconds(5);

    private final CellarConfig config;
    private final ScheduledDatabase database;
    private final Catalog catalog;
    private final ServerLog log;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile WalStreamer streamer;

    WalStreamSupervisor(CellarConfig config, ScheduledDatabase database, Catalog catalog, ServerLog log, Clock clock) {
        this.config = config;
        this.database = database;
        this.catalog = catalog;
        this.log = log;
        this.clock = clock;
        this.thread = Thread.ofPlatform().name("cellar-wal-stream-" + database.name()).daemon().unstarted(this::superviseUntilStopped);
    }

    /** The cluster this stream is for, as the advisory lock and the log name it. */
    String cluster() {
        return database.connection().host() + ":" + database.connection().port();
    }

    void start() {
        thread.start();
    }

    /** Stops the stream (its partial segment shipped one last time) and waits for it. */
    @Override
    public void close() {
        stopping = true;
        WalStreamer running = streamer;
        if (running != null) {
            running.stop();
        }
        try {
            // the stream ships its partial segment once more before it returns; a waiting supervisor is woken at once
            if (running == null) {
                thread.interrupt();
            }
            if (!thread.join(Duration.ofSeconds(30))) {
                thread.interrupt();
                thread.join(Duration.ofSeconds(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void superviseUntilStopped() {
        boolean announcedWaiting = false;
        while (!stopping) {
            // a session of its own: held while streaming, ended by the operating system if this server dies
            try (Connection lock = catalog.openSession()) {
                if (!tryLock(lock)) {
                    if (!announcedWaiting) {
                        log.info("wal stream of " + cluster() + ": another server on this catalog streams it; taking over if it stops");
                        announcedWaiting = true;
                    }
                    pause(RETRY);
                    continue;
                }
                announcedWaiting = false;
                try {
                    stream();
                } finally {
                    unlock(lock);
                }
            } catch (SQLException | RuntimeException e) {
                if (!stopping) {
                    log.warn("wal stream of " + cluster() + " stopped: " + e.getMessage() + "; starting it again in " + RETRY.toSeconds() + " s");
                    pause(RETRY);
                }
            }
        }
    }

    /** Streams while this server holds the lock; returns when the stream is stopped. */
    private void stream() {
        WalConfig wal = config.wal();
        ContextOptions options = new ContextOptions(false, null, StandardJobRunners.LOCK_WAIT, true, log::warn, new NeverPrompt(),
                System.getenv(), clock);
        try (CellarContext context = CellarContext.open(config.forDatabase(database), options)) {
            Repository repository = context.openRepository();
            WalStreamer started = new WalStreamer(context.database(), new WalArchive(repository, wal.compressionLevel()),
                    WalStreamOptions.of(wal.streamSlot(), true, wal.spoolPath(), Duration.ofSeconds(wal.rpoSeconds()),
                            config.postgres().binDir()),
                    message -> log.info("wal stream of " + cluster() + ": " + message), clock);
            WalStreamer.Prepared prepared = started.prepare();
            streamer = started;
            if (stopping) {
                return;
            }
            log.info("streaming WAL of " + cluster() + " (system " + prepared.systemIdentifier() + ", slot " + prepared.slot() + ", "
                    + prepared.receiver() + ") into the repository");
            WalStreamer.Summary summary = started.run();
            log.info("wal stream of " + cluster() + " ended: " + summary.segmentsShipped() + " segments and " + summary.partialShipments()
                    + " partial shipments; the repository holds WAL up to " + summary.shippedLsn());
        } finally {
            streamer = null;
        }
    }

    /** A session lock: held until this connection closes, which a dead server's does on its own. */
    private boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtext('cellar.wal-stream'), hashtext(?))")) {
            s.setString(1, cluster());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    /** Given back by hand before the session ends, so a stream that stopped frees the cluster at once. */
    private void unlock(Connection connection) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT pg_advisory_unlock(hashtext('cellar.wal-stream'), hashtext(?))")) {
            s.setString(1, cluster());
            s.execute();
        }
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }
}
