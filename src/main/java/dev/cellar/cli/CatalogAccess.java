package dev.cellar.cli;

import dev.cellar.error.CellarException;
import dev.cellar.repo.Repository;
import dev.cellar.server.catalog.CatalogIngest;
import java.util.ArrayList;
import java.util.List;

/** The repository and its copies as the catalog's ingest wants them, opened through the command's context. */
final class CatalogAccess {
    private CatalogAccess() {
    }

    /** The repository (all copies together) and each copy apart; a copy that cannot be reached is passed without a repository. */
    record Source(Repository repository, List<CatalogIngest.Copy> copies) {
    }

    static Source open(CommandContext context) {
        List<CommandContext.Copy> each = context.openEachCopy();
        Repository whole = each.size() == 1 ? each.get(0).repository() : null;
        List<CatalogIngest.Copy> copies = new ArrayList<>();
        for (CommandContext.Copy copy : each) {
            Repository opened;
            try {
                opened = copy.repository();
            } catch (CellarException e) {
                opened = null;
            }
            copies.add(new CatalogIngest.Copy(copy.target().name(), opened));
        }
        if (whole == null) {
            whole = context.openRepository();
        }
        return new Source(whole, copies);
    }
}
