package dev.cellar.lifecycle.retention;

import dev.cellar.lifecycle.graph.ForeignKey;

/**
 * What one foreign key into a retained table means for retention: whether a row that references a
 * due row, and is not itself going, holds that row back, is detached from it, or is no concern.
 */
public record Guard(ForeignKey key, Effect effect) {
    /** The three ways a referencing row that stays can relate to a due row it references. */
    public enum Effect {
        /** The due row is held back (keep-parent, or a CASCADE that would take the staying row with it). */
        HOLDS,
        /** Retention sets the referencing columns to NULL before deleting (on-conflict: detach, nullable columns). */
        DETACH,
        /** PostgreSQL itself sets the reference to NULL or its default (ON DELETE SET NULL / SET DEFAULT). */
        DATABASE_DETACHES
    }
}
