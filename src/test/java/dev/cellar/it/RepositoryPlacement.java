package dev.cellar.it;

import dev.cellar.storage.LocalStorage;
import dev.cellar.storage.Storage;

import java.nio.file.Path;

/**
 * Where an integration test keeps its repository: a folder, or a bucket of an S3 API server the
 * tests start. The backup and restore tests run once with each, unchanged otherwise.
 */
public interface RepositoryPlacement {

    /** The value of {@code repository.path} for a repository that belongs to the test folder {@code home}. */
    String location(Path home);

    /**
     * Further {@code cellar.yaml} sections the location needs ("" for a folder). May write files
     * into {@code home} (credentials), which the caller then hands to the server's user.
     */
    String extraYaml(Path home);

    /** The repository's storage, opened from the test process. */
    Storage open(Path home);

    /** A folder {@code repo} inside the test folder. */
    static RepositoryPlacement folder() {
        return new RepositoryPlacement() {
            @Override
            public String location(Path home) {
                return home.resolve("repo").toString();
            }

            @Override
            public String extraYaml(Path home) {
                return "";
            }

            @Override
            public Storage open(Path home) {
                return new LocalStorage(home.resolve("repo"));
            }

            @Override
            public String toString() {
                return "folder";
            }
        };
    }
}
