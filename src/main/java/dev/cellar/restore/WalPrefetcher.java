package dev.cellar.restore;

import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.stream.Stream;

/**
 * Fetches the WAL a recovery will ask for into {@code fetched/} ahead of PostgreSQL, a bounded
 * number of files at a time, so {@code restore_command} mostly just moves a file into place.
 * It is only an accelerator: a file it has not fetched (or fetched wrongly) is still found by
 * {@code cellar wal get}, and every file is authenticated before it lands under its final name.
 */
final class WalPrefetcher implements AutoCloseable {
    private final WalArchive archive;
    private final List<WalFileName> chain;
    private final Path fetchedDir;
    private final int window;
    private final UserPrincipal owner;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile int fetched;

    WalPrefetcher(WalArchive archive, List<WalFileName> chain, Path fetchedDir, int window, UserPrincipal owner) {
        this.archive = archive;
        this.chain = chain;
        this.fetchedDir = fetchedDir;
        this.window = window;
        this.owner = owner;
        this.thread = new Thread(this::run, "wal-prefetch");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    int fetchedCount() {
        return fetched;
    }

    private void run() {
        for (WalFileName file : chain) {
            // PostgreSQL asks for the segment name; a partial is served under it
            String name = file.segmentName();
            while (!stopped && waiting() >= window) {
                pause();
            }
            if (stopped) {
                return;
            }
            try {
                Path target = fetchedDir.resolve(name);
                if (archive.fetch(WalFileName.parse(name), target) == WalArchive.Fetched.MISSING) {
                    return;
                }
                if (owner != null) {
                    Files.setOwner(target, owner);
                }
                fetched++;
            } catch (RuntimeException | IOException e) {
                // restore_command fetches it itself; prefetching is only an accelerator
                return;
            }
        }
    }

    private long waiting() {
        try (Stream<Path> files = Files.list(fetchedDir)) {
            return files.filter(p -> !p.getFileName().toString().endsWith(".cellar-tmp")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops fetching and removes what PostgreSQL did not take. */
    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.list(fetchedDir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // leftovers in a spool folder are harmless: a new restore uses a new folder
        }
    }
}
