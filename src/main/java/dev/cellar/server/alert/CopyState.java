package dev.cellar.server.alert;

import java.time.Instant;
import java.util.Objects;

/**
 * Whether a copy of the repository holds everything the first copy holds.
 *
 * @param behindSince since when it lacks objects; null when it is in step
 * @param objectsBehind how many objects it lacks
 */
public record CopyState(String copy, Instant behindSince, long objectsBehind) {
    public CopyState {
        Objects.requireNonNull(copy, "copy");
    }
}
