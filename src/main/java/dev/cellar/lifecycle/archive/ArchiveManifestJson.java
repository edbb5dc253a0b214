package dev.cellar.lifecycle.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.io.IOException;

/** Reads and writes {@link ArchiveManifest} as indented JSON with sorted subject maps, the form docs/archives.md shows. */
public final class ArchiveManifestJson {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ArchiveManifestJson() {
    }

    public static byte[] write(ArchiveManifest manifest) {
        try {
            return JSON.writeValueAsBytes(manifest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an archive manifest", e);
        }
    }

    public static ArchiveManifest read(byte[] json, String object) {
        try {
            com.fasterxml.jackson.databind.JsonNode tree = JSON.readTree(json);
            String format = tree.path("format").asText(null);
            if (!ArchiveManifest.FORMAT.equals(format)) {
                throw new CellarException(ErrorCode.INTEGRITY, "archive manifest " + object + " has format '" + format
                        + "', this Cellar reads " + ArchiveManifest.FORMAT, "read it with the Cellar version that wrote it, or by hand (docs/archives.md)");
            }
            return JSON.treeToValue(tree, ArchiveManifest.class);
        } catch (IOException e) {
            throw new CellarException(ErrorCode.INTEGRITY, "archive manifest " + object + " is not valid JSON: " + e.getMessage(),
                    "the archive is damaged; restore it from another copy of the repository", e);
        }
    }
}
