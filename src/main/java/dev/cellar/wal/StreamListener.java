package dev.cellar.wal;

/** Where the streamer tells what happens to it (slot created, pg_receivewal stopped and why, restarts). */
@FunctionalInterface
public interface StreamListener {
    void event(String message);
}
