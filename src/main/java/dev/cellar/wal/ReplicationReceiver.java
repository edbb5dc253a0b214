package dev.cellar.wal;

import dev.cellar.pg.PgConnectionSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyDual;

/**
 * Cellar's own WAL receiver, for servers newer than any {@code pg_receivewal} on this host
 * (which refuses a server of a later major): the streaming replication protocol over pgjdbc,
 * with pg_receivewal's {@code --synchronous --no-loop} behaviour. It resumes where the spool
 * ends ({@link StreamStart}), writes with {@link SpoolSegmentWriter}, flushes after every batch
 * of messages and only then confirms that position to the server, so the slot never moves past
 * what is on this host's disk. It ends when asked, when the server ends the stream (end of a
 * timeline, shutdown) or goes silent, or on an error, which {@link ReceiverExit} classifies.
 */
public final class ReplicationReceiver implements WalReceiver {
    /** The receiver's status reaches the server at least this often (wal_receiver_status_interval's default). */
    private static final Duration STATUS_INTERVAL = Duration.ofSeconds(10);
    /**
     * The periodic status asks the server for a reply, so even with wal_sender_timeout = 0 (no
     * keepalives of its own) a server that says nothing for this long is lost.
     */
    private static final Duration SILENCE_LIMIT = Duration.ofSeconds(60);
    private static final long IDLE_SLEEP_MILLIS = 5;
    /** Microseconds from the Unix epoch to PostgreSQL's (2000-01-01). */
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

    private final PgConnectionSpec database;
    private final String slot;
    private final Path folder;
    private final long fallbackLsn;
    private final Consumer<String> messages;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean stopRequested;
    private volatile Connection connection;
    private volatile ReceiverExit exit;

    private ReplicationReceiver(PgConnectionSpec database, String slot, Path folder, long fallbackLsn, Consumer<String> messages) {
        this.database = database;
        this.slot = slot;
        this.folder = folder;
        this.fallbackLsn = fallbackLsn;
        this.messages = messages;
        this.thread = Thread.ofPlatform().daemon().name("cellar-wal-receiver").unstarted(this::run);
    }

    /**
     * Starts receiving from {@code slot} into {@code folder}.
     *
     * @param fallbackLsn where to start when the spool holds nothing (the slot's reserved position), or -1 for the server's position
     */
    public static ReplicationReceiver start(PgConnectionSpec database, String slot, Path folder, long fallbackLsn, Consumer<String> messages) {
        ReplicationReceiver receiver = new ReplicationReceiver(database, slot, folder, fallbackLsn, messages);
        receiver.thread.start();
        return receiver;
    }

    @Override
    public ReceiverExit awaitExit(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? exit : null;
    }

    @Override
    public void requestStop() {
        stopRequested = true;
    }

    @Override
    public void close() {
        requestStop();
        try {
            if (!ended.await(10, TimeUnit.SECONDS)) {
                // a read stuck on a dead network: closing the connection ends it
                closeQuietly(connection);
                ended.await(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<String> lines = new ArrayList<>();
        int code = 0;
        try {
            lines.add(receive());
        } catch (SQLException e) {
            code = 1;
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            message.lines().forEach(line -> lines.add("error: " + line));
        } catch (IOException | RuntimeException e) {
            code = 1;
            lines.add("error: " + e);
        } finally {
            closeQuietly(connection);
            lines.forEach(messages);
            exit = ReceiverExit.classify(code, lines);
            ended.countDown();
        }
    }

    /** Streams until the end; returns how it ended. */
    private String receive() throws SQLException, IOException {
        connection = connect();
        Identity server = identify();
        long segmentSize = segmentSize();
        TimelineHistory history = server.timeline() == 1 ? TimelineHistory.root(1) : history(server.timeline());
        List<WalFileName> spool = StreamSpool.at(folder).list().stream().map(SpoolFile::name).toList();
        StreamStart start = StreamStart.choose(spool, history, fallbackLsn >= 0 ? fallbackLsn : server.position(), segmentSize);
        if (start.timeline() > 1) {
            keepHistoryFile(start.timeline());
        }
        messages.accept("starting to stream WAL at " + Lsn.format(start.lsn()) + " (timeline " + start.timeline() + ")");
        CopyDual copy = connection.unwrap(PGConnection.class).getCopyAPI().copyDual("START_REPLICATION SLOT " + slot + " PHYSICAL "
                + Lsn.format(start.lsn()) + " TIMELINE " + start.timeline());
        try (SpoolSegmentWriter writer = new SpoolSegmentWriter(folder, start.timeline(), segmentSize)) {
            return stream(copy, writer, start);
        }
    }

    private String stream(CopyDual copy, SpoolSegmentWriter writer, StreamStart start) throws SQLException, IOException {
        long received = start.lsn();
        long flushed = start.lsn();
        Instant lastStatus = Instant.EPOCH;
        Instant lastHeard = Instant.now();
        while (!stopRequested) {
            byte[] message = copy.readFromCopy(false);
            if (message == null) {
                if (!copy.isActive()) {
                    return "the server ended streaming at " + Lsn.format(received) + " (end of timeline " + start.timeline()
                            + ", or shutting down)";
                }
                long safe = writer.flush();
                boolean due = Duration.between(lastStatus, Instant.now()).compareTo(STATUS_INTERVAL) >= 0;
                if (safe > flushed || due) {
                    flushed = Math.max(flushed, safe);
                    sendStatus(copy, received, flushed, due);
                    lastStatus = Instant.now();
                }
                if (Duration.between(lastHeard, Instant.now()).compareTo(SILENCE_LIMIT) > 0) {
                    throw new SQLException("no message from the server for " + SILENCE_LIMIT.toSeconds() + " s: connection lost");
                }
                sleep();
                continue;
            }
            lastHeard = Instant.now();
            ByteBuffer buffer = ByteBuffer.wrap(message);
            byte kind = buffer.get();
            if (kind == 'w') {
                long dataStart = buffer.getLong();
                buffer.getLong(); // the server's end of WAL
                buffer.getLong(); // its clock
                writer.write(dataStart, buffer);
                received = Math.max(received, dataStart + message.length - 25);
            } else if (kind == 'k') {
                buffer.getLong();
                buffer.getLong();
                if (buffer.get() != 0) {
                    flushed = Math.max(flushed, writer.flush());
                    sendStatus(copy, received, flushed, false);
                    lastStatus = Instant.now();
                }
            }
        }
        flushed = Math.max(flushed, writer.flush());
        sendStatus(copy, received, flushed, false);
        return "stopped on request at " + Lsn.format(flushed);
    }

    /** Standby status update: written and flushed up to the positions given; nothing applied (a receiver, not a standby). */
    private static void sendStatus(CopyDual copy, long written, long flushed, boolean replyRequested) throws SQLException {
        ByteBuffer status = ByteBuffer.allocate(34);
        status.put((byte) 'r').putLong(written).putLong(flushed).putLong(0L);
        Instant now = Instant.now();
        status.putLong(now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000 - PG_EPOCH_MICROS).put((byte) (replyRequested ? 1 : 0));
        copy.writeToCopy(status.array(), 0, status.capacity());
        copy.flushCopy();
    }

    private Connection connect() throws SQLException {
        Properties properties = database.jdbcProperties();
        properties.setProperty("replication", "true");
        properties.setProperty("assumeMinServerVersion", "9.4");
        properties.setProperty("preferQueryMode", "simple");
        // the slot's name, as pg_receivewal's, so synchronous_standby_names can name this stream
        properties.setProperty("ApplicationName", slot);
        return DriverManager.getConnection(database.jdbcUrl(), properties);
    }

    private record Identity(int timeline, long position) {
    }

    private Identity identify() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("IDENTIFY_SYSTEM")) {
            rs.next();
            return new Identity(rs.getInt(2), Lsn.parse(rs.getString(3)));
        }
    }

    private long segmentSize() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SHOW wal_segment_size")) {
            rs.next();
            return parseSize(rs.getString(1));
        }
    }

    /** A size setting as SHOW prints it: "16MB", "1GB", "512kB". */
    static long parseSize(String shown) {
        String text = shown.strip();
        int unit = 0;
        while (unit < text.length() && Character.isDigit(text.charAt(unit))) {
            unit++;
        }
        long number = Long.parseLong(text.substring(0, unit));
        return switch (text.substring(unit).strip()) {
            case "", "B" -> number;
            case "kB" -> number << 10;
            case "MB" -> number << 20;
            case "GB" -> number << 30;
            default -> throw new IllegalArgumentException("unknown size unit in '" + shown + "'");
        };
    }

    private TimelineHistory history(int timeline) throws SQLException {
        return TimelineHistory.parse(timeline, historyContent(timeline));
    }

    private String historyContent(int timeline) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("TIMELINE_HISTORY " + timeline)) {
            rs.next();
            return new String(rs.getBytes(2), StandardCharsets.UTF_8);
        }
    }

    /** The history file of the timeline being streamed goes to the spool (and so to the repository), as pg_receivewal does. */
    private void keepHistoryFile(int timeline) throws SQLException, IOException {
        Path file = folder.resolve(WalFileName.historyName(timeline));
        if (Files.exists(file)) {
            return;
        }
        Path temp = folder.resolve(file.getFileName() + ".tmp");
        Files.writeString(temp, historyContent(timeline), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void sleep() {
        try {
            Thread.sleep(IDLE_SLEEP_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the stream is over either way
            }
        }
    }
}
