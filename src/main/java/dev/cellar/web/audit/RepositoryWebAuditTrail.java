package dev.cellar.web.audit;

import dev.cellar.repo.Actor;
import dev.cellar.repo.Repository;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Appends web events to the repository's audit trail in the name of the web user: the record's
 * user is the dashboard or API user, its host the client's address, so the trail answers "who did
 * it, from where" without the server's log.
 */
public final class RepositoryWebAuditTrail implements WebAuditTrail {
    private final Supplier<Repository> repository;
    private final Consumer<String> warnings;
    private final long serverPid = ProcessHandle.current().pid();

    /**
     * @param repository the repository whose trail to append to (opened once by the server and kept open)
     * @param warnings   where a trail that cannot be written is reported
     */
    public RepositoryWebAuditTrail(Supplier<Repository> repository, Consumer<String> warnings) {
        this.repository = repository;
        this.warnings = warnings;
    }

    @Override
    public void record(WebEvent event) {
        try {
            String detail = (event.role().isEmpty() ? "" : "role " + event.role() + (event.detail().isEmpty() ? "" : "; "))
                    + event.detail();
            repository.get().audit().actingAs(new Actor(event.user(), event.source(), serverPid))
                    .append(event.operation(), event.target(), event.result(), detail, 0, Duration.ZERO);
        } catch (RuntimeException e) {
            warnings.accept("could not record in the audit trail: " + event + " (" + e.getMessage() + ")");
        }
    }
}
