package dev.cellar.wal;

import java.util.List;

/**
 * What one shipping pass over the stream spool does, in this order: push the finished files
 * (segments and timeline history, oldest first), push the partial segments that are due, then
 * delete the local copies of finished segments that are safely in the repository.
 *
 * @param finished       finished segments and history files not yet shipped
 * @param partials       partial segments that changed and are due under the RPO
 * @param pending        partial segments that changed but were shipped less than an RPO ago
 * @param deleteLocally  finished segments that may leave the spool once shipped
 */
public record ShipPlan(List<SpoolFile> finished, List<SpoolFile> partials, List<SpoolFile> pending, List<WalFileName> deleteLocally) {

    public boolean shipsAnything() {
        return !finished.isEmpty() || !partials.isEmpty();
    }
}
