package dev.cellar.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellar.error.CellarException;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryHeader;
import dev.cellar.repo.RepositoryJson;
import dev.cellar.storage.Storage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-reads the objects needed to open the repository at all: the header must still be this
 * repository's, and every key slot must still parse. A slot cannot be unwrapped without its own
 * secret, so only its shape is checked; the slot that opened this session is proven good. Every
 * data key of the keyring must still authenticate.
 */
final class RepositoryStructureCheck {
    /** Where key slots live: the folder of {@code KeySlot.PREFIX}, which is private to the repo package. */
    private static final String KEY_SLOTS = "keys/";
    private static final String WRAPPED_KEY_FIELD = "wrappedKeyBase64";

    private RepositoryStructureCheck() {
    }

    static List<String> problems(Repository repository) {
        Storage storage = repository.storage();
        List<String> problems = new ArrayList<>();
        try {
            RepositoryHeader header = Repository.readHeader(storage);
            if (!header.equals(repository.header())) {
                problems.add("the header cellar.json changed while the repository was open: it now names repository "
                        + header.repositoryId() + ", not " + repository.header().repositoryId());
            }
        } catch (CellarException e) {
            problems.add(e.getMessage());
        }
        List<String> slots = storage.list(KEY_SLOTS);
        if (slots.isEmpty()) {
            problems.add("no key slot under " + KEY_SLOTS + ": the repository cannot be opened again");
        }
        for (String slot : slots) {
            try {
                JsonNode json = RepositoryJson.mapper().readTree(storage.get(slot));
                if (json == null || !json.hasNonNull(WRAPPED_KEY_FIELD)) {
                    problems.add("key slot " + slot + " holds no wrapped key (modified)");
                }
            } catch (IOException e) {
                problems.add("key slot " + slot + " is not readable JSON (modified): " + e.getMessage());
            }
        }
        try {
            repository.checkKeyring();
        } catch (CellarException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }
}
