package dev.cellar.server.daemon;

import java.util.List;

/** The observation rounds every node takes (what it sees feeds the alerts and the metrics). */
public final class StandardObservations {
    public static final List<ObservationRound.Factory> ALL = List.of();

    private StandardObservations() {
    }
}
