package dev.cellar.recover;

/**
 * Sessions connected to a database, grouped by who they are: what a refusal names.
 *
 * @param clientAddress the client's address, or "local" for a Unix socket
 */
public record LiveSession(String user, String application, String clientAddress, int count) {
    public String describe() {
        return count + " session" + (count == 1 ? "" : "s") + " of user " + user + " from " + clientAddress
                + (application.isEmpty() ? "" : " (application '" + application + "')");
    }
}
