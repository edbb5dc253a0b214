package dev.cellar.restore;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.PgConnectionSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Loads batches of COPY rows on several connections at once, each batch its own
 * {@code COPY … FROM STDIN} (so one big table loads on all connections, as several tables do).
 * The sessions are set up as pg_restore sets up its own: the archive's client encoding, an empty
 * search_path, row security on ({@code --enable-row-security}), and asynchronous commits, which
 * the caller makes durable with one synchronous commit at the end.
 */
final class CopyLoader implements AutoCloseable {
    private static final Batch STOP = new Batch("", new byte[0], 0);
    /**
     * All row batches together, queued, loading or being filled: {@code 3 × jobs + 2} batches of
     * this share each (at most 4 MiB, at least 256 KiB), so the memory does not grow with {@code --jobs}.
     */
    static final int BATCH_MEMORY = 32 << 20;
    private static final int MAX_BATCH_BYTES = 4 << 20;
    private static final int MIN_BATCH_BYTES = 256 << 10;

    /** Whole rows of one table: {@code length} bytes of COPY text in {@code rows}. */
    record Batch(String copyStatement, byte[] rows, int length) {
    }

    private final int batchBytes;
    private final BlockingQueue<Batch> queue;
    /** Batch buffers back from COPY, for the next batches: with them the heap stays small however big the restore. */
    private final BlockingQueue<byte[]> free;
    private final List<Connection> connections = new ArrayList<>();
    private final List<Thread> workers = new ArrayList<>();
    private volatile RuntimeException failure;
    private volatile boolean stopping;

    /**
     * @param connections how many COPYs run at once
     * @param encoding    the client encoding the rows are written in
     */
    CopyLoader(PgConnectionSpec database, int connections, String encoding, String sessionName) {
        this.batchBytes = batchBytes(connections);
        this.queue = new ArrayBlockingQueue<>(2 * connections);
        this.free = new ArrayBlockingQueue<>(3 * connections + 2);
        try {
            for (int i = 0; i < connections; i++) {
                this.connections.add(open(database, encoding, sessionName));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        for (Connection c : this.connections) {
            Thread t = new Thread(() -> work(c), "cellar-copy");
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    private static Connection open(PgConnectionSpec database, String encoding, String sessionName) {
        Properties properties = new Properties();
        properties.setProperty("user", database.user());
        if (database.password() != null) {
            properties.setProperty("password", new String(database.password()));
        }
        properties.setProperty("ApplicationName", sessionName);
        properties.setProperty("connectTimeout", "10");
        // the rows are bytes in the archive's encoding; pgjdbc refuses a SET client_encoding without this
        properties.setProperty("allowEncodingChanges", "true");
        Connection c = null;
        try {
            c = DriverManager.getConnection(database.jdbcUrl(), properties);
            try (Statement st = c.createStatement()) {
                st.execute("SET client_encoding = '" + encoding + "'");
                st.execute("SET synchronous_commit = off");
                st.execute("SET statement_timeout = 0");
                st.execute("SET lock_timeout = 0");
                st.execute("SET xmloption = content");
                st.execute("SET row_security = on");
                st.execute("SELECT pg_catalog.set_config('search_path', '', false)");
            }
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw database.unreachable(e);
        }
    }

    /**
     * The size of a batch for {@code connections} COPYs: a batch is queued (2 per connection),
     * loading (1 per connection), being filled or carrying over the rest of a cut (2), so that
     * many share {@link #BATCH_MEMORY}.
     */
    static int batchBytes(int connections) {
        long share = BATCH_MEMORY / (3L * connections + 2);
        return (int) Math.max(MIN_BATCH_BYTES, Math.min(MAX_BATCH_BYTES, share));
    }

    /** About how many bytes of rows a batch should hold. */
    int batchBytes() {
        return batchBytes;
    }

    /** An empty buffer of {@link #batchBytes()} for the next batch. */
    byte[] buffer() {
        byte[] b = free.poll();
        return b != null ? b : new byte[batchBytes];
    }

    /** Queues a batch, waiting while all connections are busy; throws the first failure of any COPY. */
    void load(Batch batch) {
        try {
            while (!queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                rethrowFailure();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CellarException(ErrorCode.INTERRUPTED, "interrupted while loading table rows");
        }
        rethrowFailure();
    }

    /** Waits for every queued batch to be loaded and committed. */
    void finish() {
        for (int i = 0; i < workers.size(); i++) {
            load(STOP);
        }
        join();
        rethrowFailure();
    }

    private void rethrowFailure() {
        if (failure != null) {
            throw failure;
        }
    }

    private void work(Connection c) {
        try {
            PGConnection pg = c.unwrap(PGConnection.class);
            while (!stopping) {
                Batch batch = queue.poll(100, TimeUnit.MILLISECONDS);
                if (batch == null) {
                    continue;
                }
                if (batch == STOP) {
                    return;
                }
                CopyIn copy = pg.getCopyAPI().copyIn(batch.copyStatement());
                try {
                    copy.writeToCopy(batch.rows(), 0, batch.length());
                    copy.endCopy();
                    if (batch.rows().length == batchBytes) {
                        free.offer(batch.rows());
                    }
                } finally {
                    if (copy.isActive()) {
                        copy.cancelCopy();
                    }
                }
            }
        } catch (SQLException e) {
            fail(new CellarException(ErrorCode.EXTERNAL_TOOL_FAILED, "loading table rows failed: " + e.getMessage(),
                    "the error above is the server's own; fix its cause and run the restore again"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private synchronized void fail(RuntimeException e) {
        if (failure == null) {
            failure = e;
        }
        stopping = true;
    }

    private void join() {
        for (Thread t : workers) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops the workers (after their current batch) and closes the connections. */
    @Override
    public void close() {
        stopping = true;
        queue.clear();
        join();
        connections.forEach(CopyLoader::closeQuietly);
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // the session ends with the connection either way
        }
    }
}
