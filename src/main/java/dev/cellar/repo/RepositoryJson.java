package dev.cellar.repo;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.filter.FilteringParserDelegate;
import com.fasterxml.jackson.core.filter.TokenFilter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON mapping of repository objects. Unknown fields are ignored so that an older Cellar
 * can still read manifests written by a newer one of the same format version.
 */
public final class RepositoryJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private RepositoryJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(byte[] json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }

    /**
     * Reads {@code json} as if every field named {@code leftOut}, at any depth, were absent: the
     * parser skips those values without building them.
     */
    public static <T> T readWithout(byte[] json, Class<T> type, String leftOut) throws IOException {
        TokenFilter withoutField = new TokenFilter() {
            @Override
            public TokenFilter includeProperty(String name) {
                return name.equals(leftOut) ? null : this;
            }
        };
        try (JsonParser parser = new FilteringParserDelegate(MAPPER.createParser(json), withoutField, TokenFilter.Inclusion.INCLUDE_ALL_AND_PATH,
                true)) {
            return MAPPER.readValue(parser, type);
        }
    }
}
