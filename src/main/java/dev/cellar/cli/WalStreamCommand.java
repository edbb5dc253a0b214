package dev.cellar.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cellar.config.WalConfig;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.PgConnectionSpec;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.wal.StreamStatus;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalStreamOptions;
import dev.cellar.wal.WalStreamer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "stream", description = {"Receive WAL continuously over a physical replication slot and ship it to the repository.",
        "Runs PostgreSQL's pg_receivewal (or, for a server newer than every pg_receivewal found, Cellar's built-in receiver) "
                + "into <wal.spool-path>/stream/<system identifier>/ and ships every finished "
                + "segment at once and the growing partial segment at least every wal.rpo-seconds (default 1), so the "
                + "repository is at most about that far behind the last commit, where archive_command lags a whole segment. "
                + "Runs in the foreground until stopped (Ctrl-C or SIGTERM ship the partial segment one last time); when the "
                + "server goes away it ships what it has and reconnects with backoff.",
        "The slot keeps WAL on the server until this stream has received it: if you stop streaming for good, drop it "
                + "(SELECT pg_drop_replication_slot('cellar')). See docs/wal-streaming.md."})
public final class WalStreamCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    CommonOptions common;
    @Mixin
    DatabaseOptions database;

    @Option(names = "--slot", paramLabel = "NAME", description = "Physical replication slot (wal.stream-slot, default cellar).")
    String slot;

    @Option(names = "--create-slot", description = "Create the slot if it does not exist (with pg_create_physical_replication_slot, "
            + "reserving WAL from now on).")
    boolean createSlot;

    @Option(names = "--spool", paramLabel = "DIR", description = "Local folder WAL is received into before shipping (wal.spool-path).")
    Path spool;

    @Option(names = "--status-interval", paramLabel = "SECONDS", defaultValue = "5",
            description = "Seconds between status lines (default: ${DEFAULT-VALUE}; 0 for none).")
    int statusInterval;

    @Override
    public Integer call() {
        if (statusInterval < 0) {
            throw new CellarException(ErrorCode.USAGE, "--status-interval must be 0 or more seconds, not " + statusInterval);
        }
        try (CommandContext context = CommandContext.load(common, database)) {
            WalConfig wal = context.config().wal();
            WalStreamOptions options = WalStreamOptions.of(slot != null ? slot : wal.streamSlot(), createSlot,
                    spool != null ? spool : wal.spoolPath(), Duration.ofSeconds(wal.rpoSeconds()), context.config().postgres().binDir());
            Repository repository = context.openRepository();
            PgConnectionSpec db = context.database();
            PrintStream out = System.out;
            PrintStream err = System.err;
            WalStreamer streamer = new WalStreamer(db, new WalArchive(repository, wal.compressionLevel()), options,
                    message -> err.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + message), Clock.systemUTC());
            return stream(streamer, out, err);
        }
    }

    /** Prepares, streams until stopped, and prints status lines on the way; separate from option parsing for tests. */
    int stream(WalStreamer streamer, PrintStream out, PrintStream err) {
        WalStreamer.Prepared prepared = streamer.prepare();
        err.println("streaming WAL of system " + prepared.systemIdentifier() + " (PostgreSQL " + prepared.serverVersion() + ") from slot "
                + prepared.slot() + " with " + prepared.receiver() + " into " + prepared.spool());
        CountDownLatch printedLast = new CountDownLatch(1);
        AtomicBoolean stoppedCleanly = new AtomicBoolean();
        Thread onSignal = new Thread(() -> {
            streamer.stop();
            try {
                printedLast.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (stoppedCleanly.get()) {
                // SIGTERM / Ctrl-C is how this command is meant to end: exit 0, not the JVM's 143
                out.flush();
                err.flush();
                Runtime.getRuntime().halt(0);
            }
        }, "wal-stream-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);
        Thread printer = statusInterval == 0 ? null : Thread.ofVirtual().start(() -> printStatus(streamer, out));
        try {
            WalStreamer.Summary summary = streamer.run();
            if (printer != null) {
                printer.interrupt();
            }
            print(out, streamer.status());
            err.println("stopped: " + summary.segmentsShipped() + " finished files and " + summary.partialShipments()
                    + " partial shipments; repository holds WAL up to " + (summary.shippedLsn() == null ? "?" : summary.shippedLsn())
                    + ", restarts " + summary.restarts());
            stoppedCleanly.set(true);
            return 0;
        } finally {
            if (printer != null) {
                printer.interrupt();
            }
            printedLast.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is what stopped us
            }
        }
    }

    private void printStatus(WalStreamer streamer, PrintStream out) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(Duration.ofSeconds(statusInterval));
                print(out, streamer.status());
            }
        } catch (InterruptedException stopped) {
            // the stream ended
        }
    }

    private void print(PrintStream out, StreamStatus s) {
        if (common.json) {
            try {
                out.println(RepositoryJson.mapper().writeValueAsString(s));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            out.println(line(s));
        }
        out.flush();
    }

    static String line(StreamStatus s) {
        return String.format(Locale.ROOT, "%s %s: received %s, shipped %s (segment %s, partial %s in %d ms), lag %s / %.1f s, restarts %d",
                s.at().truncatedTo(ChronoUnit.SECONDS), s.state(), orDash(s.receivedLsn()), orDash(s.shippedLsn()), orDash(s.lastSegment()),
                orDash(s.lastPartial()), s.lastShipMillis(), s.repositoryLagBytes() == null ? "?" : Output.bytes(s.repositoryLagBytes()),
                s.repositoryLagSeconds(), s.restarts());
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }
}
