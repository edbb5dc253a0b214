package dev.cellar.wal.agent;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Wakes the agent's loop the moment PostgreSQL flags a WAL file {@code .ready} (inotify on
 * Linux), instead of at its next look: PostgreSQL's archiver calls archive_command at that same
 * moment, and every millisecond before the agent starts shipping is a millisecond the
 * archive_command waits. Where the folder cannot be watched, it simply sleeps, as polling did.
 */
final class ReadyFlagWatch implements AutoCloseable {
    private final WatchService watcher;

    private ReadyFlagWatch(WatchService watcher) {
        this.watcher = watcher;
    }

    /** Watches {@code archiveStatus}, or only sleeps when it is absent (a restore's agent) or cannot be watched. */
    static ReadyFlagWatch on(Path archiveStatus) {
        if (archiveStatus == null) {
            return new ReadyFlagWatch(null);
        }
        try {
            WatchService watcher = FileSystems.getDefault().newWatchService();
            try {
                archiveStatus.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
                return new ReadyFlagWatch(watcher);
            } catch (IOException | RuntimeException e) {
                watcher.close();
                return new ReadyFlagWatch(null);
            }
        } catch (IOException e) {
            return new ReadyFlagWatch(null);
        }
    }

    boolean watching() {
        return watcher != null;
    }

    /** Returns after {@code atMost}, or as soon as a file appears in the folder. */
    void await(Duration atMost) throws InterruptedException {
        if (watcher == null) {
            Thread.sleep(atMost);
            return;
        }
        try {
            WatchKey key = watcher.poll(atMost.toMillis(), TimeUnit.MILLISECONDS);
            if (key != null) {
                key.pollEvents();
                key.reset();
            }
        } catch (ClosedWatchServiceException e) {
            Thread.sleep(atMost);
        }
    }

    @Override
    public void close() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                // nothing held but the inotify descriptor, which the JVM frees at exit
            }
        }
    }
}
