package dev.cellar.it;

import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.TableChecksums;
import dev.cellar.sample.SampleChurn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A write workload (pgbench's TPC-B-like transaction and restaurant orders) that can be paused
 * for an instant to record a marker: the state every table must have when recovery stops at
 * that marker's time, LSN, transaction id or restore point. Pausing (no transaction in flight
 * while the marker is taken) is what makes "the state at the marker" exact.
 */
final class MarkedWorkload implements AutoCloseable {
    /** A point recovery can target, and every table's checksum there. */
    record Marker(int number, String xid, String lsn, Instant time, String restorePoint, Map<String, String> checksums) {
    }

    private final LocalCluster cluster;
    private final String benchDb;
    private final String restaurantDb;
    private final ReentrantReadWriteLock pause = new ReentrantReadWriteLock(true);
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong transactions = new AtomicLong();
    private volatile boolean running = true;

    MarkedWorkload(LocalCluster cluster, String benchDb, String restaurantDb) {
        this.cluster = cluster;
        this.benchDb = benchDb;
        this.restaurantDb = restaurantDb;
        cluster.execute(benchDb, "CREATE TABLE IF NOT EXISTS marker_log (number int PRIMARY KEY, at timestamptz NOT NULL)");
    }

    void start(long seed) {
        workers.add(worker("pgbench-writer", () -> tpcb(seed)));
        workers.add(worker("order-writer", () -> orders(seed)));
        workers.forEach(Thread::start);
    }

    long transactions() {
        return transactions.get();
    }

    private Thread worker(String name, Work work) {
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, name);
        thread.setDaemon(true);
        return thread;
    }

    private interface Work {
        void run() throws Exception;
    }

    private void tpcb(long seed) throws SQLException {
        SplittableRandom random = new SplittableRandom(seed);
        try (Connection c = cluster.connect(benchDb)) {
            c.setAutoCommit(false);
            int accounts = count(c, "pgbench_accounts");
            int tellers = count(c, "pgbench_tellers");
            int branches = count(c, "pgbench_branches");
            try (PreparedStatement account = c.prepareStatement("UPDATE pgbench_accounts SET abalance = abalance + ? WHERE aid = ?");
                 PreparedStatement teller = c.prepareStatement("UPDATE pgbench_tellers SET tbalance = tbalance + ? WHERE tid = ?");
                 PreparedStatement branch = c.prepareStatement("UPDATE pgbench_branches SET bbalance = bbalance + ? WHERE bid = ?");
                 PreparedStatement history = c.prepareStatement(
                         "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (?, ?, ?, ?, clock_timestamp())")) {
                while (running) {
                    pause.readLock().lock();
                    try {
                        int delta = random.nextInt(-5000, 5001);
                        int aid = random.nextInt(1, accounts + 1);
                        int tid = random.nextInt(1, tellers + 1);
                        int bid = random.nextInt(1, branches + 1);
                        account.setInt(1, delta);
                        account.setInt(2, aid);
                        account.executeUpdate();
                        teller.setInt(1, delta);
                        teller.setInt(2, tid);
                        teller.executeUpdate();
                        branch.setInt(1, delta);
                        branch.setInt(2, bid);
                        branch.executeUpdate();
                        history.setInt(1, tid);
                        history.setInt(2, bid);
                        history.setInt(3, aid);
                        history.setInt(4, delta);
                        history.executeUpdate();
                        c.commit();
                        transactions.incrementAndGet();
                    } finally {
                        pause.readLock().unlock();
                    }
                }
            }
        }
    }

    private void orders(long seed) throws Exception {
        long round = seed;
        try (Connection c = cluster.connect(restaurantDb)) {
            while (running) {
                pause.readLock().lock();
                try {
                    SampleChurn.apply(c, 0.0005, round++);
                    transactions.incrementAndGet();
                } finally {
                    pause.readLock().unlock();
                }
                Thread.sleep(30);
            }
        }
    }

    /** Pauses the workload, records a marker, and lets it go on. */
    Marker mark(int number) throws Exception {
        rethrow();
        pause.writeLock().lock();
        try (Connection bench = cluster.connect(benchDb); Connection restaurant = cluster.connect(restaurantDb);
             Statement s = bench.createStatement()) {
            bench.setAutoCommit(false);
            String xid;
            try (ResultSet rs = s.executeQuery("INSERT INTO marker_log VALUES (" + number + ", clock_timestamp()) RETURNING txid_current()::text")) {
                rs.next();
                xid = rs.getString(1);
            }
            bench.commit();
            bench.setAutoCommit(true);
            String restorePoint = "marker-" + number;
            s.execute("SELECT pg_create_restore_point('" + restorePoint + "')");
            Instant time;
            String lsn;
            try (ResultSet rs = s.executeQuery("SELECT clock_timestamp(), pg_current_wal_insert_lsn()::text")) {
                rs.next();
                time = rs.getObject(1, OffsetDateTime.class).toInstant();
                lsn = rs.getString(2);
            }
            Map<String, String> checksums = new TreeMap<>();
            TableChecksums.of(bench).forEach((table, sum) -> checksums.put(benchDb + "/" + table, sum));
            TableChecksums.of(restaurant).forEach((table, sum) -> checksums.put(restaurantDb + "/" + table, sum));
            // the next commit must carry a later timestamp than the marker's time
            Thread.sleep(5);
            return new Marker(number, xid, lsn, time, restorePoint, checksums);
        } finally {
            pause.writeLock().unlock();
        }
    }

    private static int count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void rethrow() {
        Throwable e = failure.get();
        if (e != null) {
            throw new AssertionError("workload failed", e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread worker : workers) {
            worker.join(30_000);
        }
        rethrow();
    }
}
