package dev.cellar.server.alert;

/** A way a notice reaches people: e-mail, a webhook. */
public interface AlertChannel {
    /** The channel's name in the outbox: {@code email}, {@code webhook}. */
    String name();

    /**
     * Sends one notice; returns only once the receiving side accepted it.
     *
     * @param notificationId the outbox row's id, which receivers may use to drop a repeat
     * @throws ChannelException when it was not accepted (it will be tried again later)
     */
    void send(long notificationId, Notice notice) throws ChannelException;
}
