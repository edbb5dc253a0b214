package dev.cellar.config;

import java.util.List;
import java.util.Objects;

/**
 * Which backups are written immutable (WORM) and for how long. Off unless {@code mode} is set.
 *
 * @param mode       GOVERNANCE or COMPLIANCE (as S3 Object Lock means them); null when WORM is off
 * @param retainDays days each locked object stays undeletable after it is written
 * @param kinds      kinds of backup that are locked: "logical", "physical" (a locked physical
 *                   backup locks the WAL it needs too)
 * @param databases  for logical backups, the databases whose backups are locked; empty = all
 */
public record WormConfig(String mode, int retainDays, List<String> kinds, List<String> databases) {
    public static final int DEFAULT_RETAIN_DAYS = 2555;
    public static final List<String> DEFAULT_KINDS = List.of("logical", "physical");

    public WormConfig {
        kinds = List.copyOf(Objects.requireNonNull(kinds, "kinds"));
        databases = List.copyOf(Objects.requireNonNull(databases, "databases"));
    }

    public static WormConfig off() {
        return new WormConfig(null, DEFAULT_RETAIN_DAYS, DEFAULT_KINDS, List.of());
    }

    public boolean enabled() {
        return mode != null;
    }
}
