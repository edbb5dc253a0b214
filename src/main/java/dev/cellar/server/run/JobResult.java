package dev.cellar.server.run;

/**
 * How a job's run ended, in the words the ledger, the alerts and the status page use.
 *
 * @param ok      whether the job did what it is for
 * @param summary one line for a person (what was done, or what went wrong and what to do)
 * @param detail  the operation's result as JSON, for the catalog and the API; may be null
 */
public record JobResult(boolean ok, String summary, String detail) {
    public static JobResult ok(String summary, String detail) {
        return new JobResult(true, summary, detail);
    }

    public static JobResult failed(String summary, String detail) {
        return new JobResult(false, summary, detail);
    }
}
