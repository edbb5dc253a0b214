package dev.cellar.web.audit;

/**
 * Where the web layer records logins, refusals and calls that change state: the repository's
 * hash-chained audit trail in the server, so an auditor reads them beside the backups they
 * concern.
 */
@FunctionalInterface
public interface WebAuditTrail {
    /**
     * Records the event. Never throws: a trail that cannot be written is reported on the server's
     * log, and the request it records is answered as it would have been.
     */
    void record(WebEvent event);
}
