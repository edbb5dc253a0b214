package dev.cellar.lifecycle.archive;

import dev.cellar.lifecycle.TableName;
import dev.cellar.repo.RepositoryLayout;
import java.nio.charset.StandardCharsets;

/**
 * Where an archive's objects live: {@code archives/<database>/<kind>/<label>/} holding
 * {@code manifest.json}, {@code schema.sql} and one {@code tables/<schema>.<table>.csv.gz} per
 * table. Names are percent-encoded outside {@code [A-Za-z0-9_$-]} so that any PostgreSQL identifier
 * makes one path segment. The archive id is the part after {@code archives/}, without the slash.
 */
public record ArchiveLayout(String database, String kind, String label) {
    public static final String MANIFEST = "manifest.json";
    public static final String SCHEMA = "schema.sql";
    public static final String TABLES = "tables/";

    public static ArchiveLayout ofId(String archiveId) {
        String[] parts = archiveId.split("/", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw new IllegalArgumentException("'" + archiveId + "' is not an archive id (database/kind/label)");
        }
        return new ArchiveLayout(decode(parts[0]), decode(parts[1]), decode(parts[2]));
    }

    public String id() {
        return encode(database) + "/" + encode(kind) + "/" + encode(label);
    }

    public String prefix() {
        return RepositoryLayout.ARCHIVES + id() + "/";
    }

    public String manifestKey() {
        return prefix() + MANIFEST;
    }

    public String schemaKey() {
        return prefix() + SCHEMA;
    }

    public String tableKey(TableName table) {
        return prefix() + TABLES + encode(table.schema()) + "." + encode(table.name()) + ".csv.gz";
    }

    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '-')) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    static String decode(String text) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length()) {
                bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
