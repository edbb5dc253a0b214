package dev.cellar.server.alert;

/** A channel did not take a notice; the message says why, for the outbox's last_error. */
public final class ChannelException extends Exception {
    public ChannelException(String message, Throwable cause) {
        super(message, cause);
    }

    public ChannelException(String message) {
        super(message);
    }
}
