package dev.cellar.lifecycle.retention;

import dev.cellar.app.CellarContext;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.lifecycle.archive.Archiver;

/**
 * The archiver a retention run writes to. The repository archiver lands with the archive branch
 * (i13-archive): its integration replaces the body of {@link #of} with it. Until then apply refuses
 * before it touches the database, so no row can be deleted unarchived.
 */
public final class RetentionArchiver {
    private RetentionArchiver() {
    }

    public static Archiver of(CellarContext context) {
        throw new CellarException(ErrorCode.CONFIG_INVALID, "this build has no archiver, and retention deletes a row only after an archive holding it verified",
                "use a build that includes 'cellar archive' (issue 13); 'cellar retention plan' works without it");
    }
}
