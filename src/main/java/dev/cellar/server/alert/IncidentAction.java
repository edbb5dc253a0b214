package dev.cellar.server.alert;

/** One change to the incidents that an evaluation calls for. */
public sealed interface IncidentAction {
    /** A key found with no open incident: open one and notify. */
    record Open(Finding finding) implements IncidentAction {
    }

    /** Still found and due for a reminder (interval passed, or it grew worse): notify again. */
    record Remind(OpenIncident incident, Finding finding) implements IncidentAction {
    }

    /** Still found, not due: keep its text current without notifying. */
    record Refresh(OpenIncident incident, Finding finding) implements IncidentAction {
    }

    /** No longer found by a condition that could judge it: resolve and notify. */
    record Resolve(OpenIncident incident) implements IncidentAction {
    }
}
