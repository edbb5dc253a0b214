package dev.cellar.restore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * PostgreSQL's own {@code backup_manifest} (version 1, as {@code src/backend/backup/backup_manifest.c}
 * writes it), so {@code pg_verifybackup} can check a restored data directory. The layout is
 * byte for byte PostgreSQL's: pg_verifybackup checksums everything up to and including the
 * newline before the last line, which holds the SHA-256 of those bytes.
 */
public final class PgBackupManifest {
    private static final DateTimeFormatter LAST_MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'GMT'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** One file: path relative to the data directory, size, modification time and CRC-32C as 8 hex digits. */
    public record File(String path, long size, Instant lastModified, String crc32c) {
    }

    private PgBackupManifest() {
    }

    public static byte[] render(List<File> files, int timeline, String startLsn, String endLsn) {
        StringBuilder text = new StringBuilder("{ \"PostgreSQL-Backup-Manifest-Version\": 1,\n\"Files\": [");
        boolean first = true;
        for (File f : files) {
            text.append(first ? "\n" : ",\n");
            first = false;
            text.append("{ \"Path\": ").append(jsonString(f.path())).append(", \"Size\": ").append(f.size())
                    .append(", \"Last-Modified\": \"").append(LAST_MODIFIED.format(f.lastModified()))
                    .append("\", \"Checksum-Algorithm\": \"CRC32C\", \"Checksum\": \"").append(f.crc32c()).append("\" }");
        }
        text.append("\n],\n\"WAL-Ranges\": [\n");
        text.append("{ \"Timeline\": ").append(timeline).append(", \"Start-LSN\": \"").append(startLsn)
                .append("\", \"End-LSN\": \"").append(endLsn).append("\" }");
        text.append("\n],\n");
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        String checksum;
        try {
            checksum = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
        return (text + "\"Manifest-Checksum\": \"" + checksum + "\"}\n").getBytes(StandardCharsets.UTF_8);
    }

    static String jsonString(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
