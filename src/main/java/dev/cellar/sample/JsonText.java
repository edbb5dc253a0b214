package dev.cellar.sample;

/**
 * Builds one flat JSON object as text. The generator's JSON is small and shaped by hand, so a
 * tree library would only add allocation on the hot path.
 */
final class JsonText {
    private final StringBuilder sb = new StringBuilder(128).append('{');

    JsonText put(String key, String value) {
        key(key).append('"');
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        sb.append('"');
        return this;
    }

    JsonText put(String key, long value) {
        key(key).append(value);
        return this;
    }

    JsonText put(String key, boolean value) {
        key(key).append(value);
        return this;
    }

    /** Inserts already-formatted JSON (an array or nested object). */
    JsonText putRaw(String key, String json) {
        key(key).append(json);
        return this;
    }

    @Override
    public String toString() {
        return sb + "}";
    }

    private StringBuilder key(String key) {
        if (sb.length() > 1) {
            sb.append(',');
        }
        return sb.append('"').append(key).append("\":");
    }
}
