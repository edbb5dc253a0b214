package dev.cellar.backup;

import dev.cellar.globals.ClusterGlobals;

/**
 * One {@code backup logical --all} run: its id, which every backup of the run records, and the
 * cluster's globals, taken once at its start and stored with each of its backups.
 */
public record ClusterRun(String id, ClusterGlobals globals) {
}
