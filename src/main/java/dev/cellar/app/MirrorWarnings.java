package dev.cellar.app;

import dev.cellar.storage.MirroredStorage;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tells what the copies of a repository report while a command still succeeds: a copy that
 * fell behind (once per copy, with what to run), reads answered by another copy (the first few,
 * then a count, so a restore from a thinned-out copy does not print a line per chunk).
 */
public final class MirrorWarnings implements java.util.function.Consumer<MirroredStorage.Warning> {
    private static final int FALLBACKS_SHOWN = 10;

    private final Warnings sink;
    private final Set<String> saidOnce = ConcurrentHashMap.newKeySet();
    private final AtomicInteger fallbacks = new AtomicInteger();

    public MirrorWarnings(Warnings sink) {
        this.sink = sink;
    }

    @Override
    public void accept(MirroredStorage.Warning warning) {
        switch (warning.kind()) {
            case FELL_BEHIND -> {
                if (saidOnce.add("behind " + warning.member())) {
                    print(warning.message() + "\nHINT: run 'cellar repo sync' to bring " + warning.member() + " up to date");
                }
            }
            case UNREACHABLE -> {
                if (saidOnce.add("unreachable " + warning.member())) {
                    print(warning.message());
                }
            }
            case LIST_SKIPPED -> {
                if (saidOnce.add("list " + warning.member())) {
                    print(warning.message());
                }
            }
            case READ_FALLBACK -> {
                int n = fallbacks.incrementAndGet();
                if (n <= FALLBACKS_SHOWN) {
                    print(warning.message());
                }
                if (n == FALLBACKS_SHOWN) {
                    print("further reads from another copy are not shown; run 'cellar verify --repair' to mend the copy they came from");
                }
            }
        }
    }

    private synchronized void print(String message) {
        sink.warn(message);
    }
}
