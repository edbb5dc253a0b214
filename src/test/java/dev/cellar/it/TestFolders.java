package dev.cellar.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Temporary folders of the integration tests (clusters, repositories, spools), removed when the
 * test JVM exits, so that running the suite again and again does not fill the machine's /tmp
 * with gigabytes of clusters. Kept until then, not deleted per test: a class shares its folders
 * across its tests, and a failed run's folders are still there while its JVM runs.
 */
public final class TestFolders {
    private static final List<Path> CREATED = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> CREATED.forEach(TestFolders::deleteQuietly), "test-folders-cleanup"));
    }

    private TestFolders() {
    }

    /** A new folder under java.io.tmpdir whose name starts with {@code prefix}. */
    public static Path create(String prefix) throws IOException {
        Path folder = Files.createTempDirectory(prefix);
        CREATED.add(folder);
        return folder;
    }

    private static void deleteQuietly(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException | RuntimeException leftBehind) {
                    // a file the test user may not delete (a server still running as another user): leave it
                }
            }
        } catch (IOException | RuntimeException leftBehind) {
            // the folder changed while walking it; what is left stays
        }
    }
}
