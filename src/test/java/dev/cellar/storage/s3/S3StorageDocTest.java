package dev.cellar.storage.s3;

import dev.cellar.config.ConfigKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/s3-storage.md names every {@code s3.*} setting with the variable the key table gives it,
 * and its examples name the variables that hold the keys themselves outside {@code CELLAR_}: a
 * page once told operators to export {@code CELLAR_S3_ACCESS_KEY}, which Cellar refuses as a
 * mistyped setting.
 */
class S3StorageDocTest {
    private static final Pattern ROW = Pattern.compile("^\\| `(s3\\.[a-z0-9-]+)` \\| `(CELLAR_[A-Z0-9_]+)` \\|", Pattern.MULTILINE);
    private static final Pattern NAMED_VARIABLE = Pattern.compile("-env:\\s+([A-Za-z_][A-Za-z0-9_]*)");

    @Test
    void theTableListsEveryS3KeyWithItsVariable() throws IOException {
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher row = ROW.matcher(page());
        while (row.find()) {
            rows.put(row.group(1), row.group(2));
        }
        Map<String, String> expected = new LinkedHashMap<>();
        Arrays.stream(ConfigKey.values()).filter(k -> k.dotted().startsWith("s3.")).forEach(k -> expected.put(k.dotted(), k.env()));

        assertThat(rows).containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void exampleCredentialVariablesAreNotInCellarsNamespace() throws IOException {
        Matcher named = NAMED_VARIABLE.matcher(page());
        int examples = 0;
        while (named.find()) {
            examples++;
            assertThat(named.group(1)).as("a variable an example names for a key").doesNotStartWith("CELLAR_");
        }
        assertThat(examples).isPositive();
    }

    private static String page() throws IOException {
        return Files.readString(Path.of("docs", "s3-storage.md"));
    }
}
