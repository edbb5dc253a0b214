package dev.cellar.it;

import dev.cellar.pg.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;

/**
 * A bin folder whose pg_dump leaves a mark each time a dump starts and then runs the real one,
 * or, when {@link #STALL} is set in its environment, stalls like a pg_dump stuck on a lock.
 * It reports the version it is given, so a test can tell it from the real folder beside it.
 */
final class WrappedPgDump {
    /** Set to 1 in Cellar's environment (pg_dump inherits it): the dump stalls instead of running. */
    static final String STALL = "WRAPPED_PG_DUMP_STALL";

    private final Path folder;
    private final Path marks;

    private WrappedPgDump(Path folder) {
        this.folder = folder;
        this.marks = folder.resolve("dumps-started");
    }

    /** A wrapper of {@code cluster}'s pg_dump in a new folder under {@code parent}, saying it is {@code version}. */
    static WrappedPgDump create(Path parent, LocalCluster cluster, String version) throws IOException {
        WrappedPgDump wrapped = new WrappedPgDump(Files.createDirectories(parent.resolve("wrapped-bin")));
        Path script = wrapped.folder.resolve("pg_dump");
        Files.writeString(script, "#!/bin/sh\n"
                + "if [ \"$1\" = --version ]; then echo 'pg_dump (PostgreSQL) " + version + "'; exit 0; fi\n"
                + "echo started >> '" + wrapped.marks + "'\n"
                + "if [ \"$" + STALL + "\" = 1 ]; then exec sleep 300; fi\n"
                + "exec '" + cluster.binaries().path("pg_dump") + "' \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return wrapped;
    }

    Path folder() {
        return folder;
    }

    /** How many dumps this pg_dump has started. */
    int dumpsStarted() throws IOException {
        return Files.exists(marks) ? (int) Files.readAllLines(marks).stream().filter(l -> !l.isBlank()).count() : 0;
    }

    /** Waits until this pg_dump has started {@code count} dumps in all. */
    void awaitDumpsStarted(int count, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (dumpsStarted() < count) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("pg_dump in " + folder + " started fewer than " + count + " dumps in " + timeout);
            }
            Thread.sleep(20);
        }
    }
}
