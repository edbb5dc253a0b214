package dev.cellar.lifecycle.portability;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The CSV form: one RFC 4180 file per table (header row, UTF-8), and a README.txt that lists them with their row counts. */
final class CsvExportWriter {
    static final String README = "README.txt";

    private CsvExportWriter() {
    }

    /** Writes the README and one file per table; returns the files written, README first. */
    static List<Path> write(PortabilityExport export, ExportFolder folder) {
        List<String> names = fileNames(export.tables());
        List<Path> files = new ArrayList<>();
        files.add(folder.write(README, readme(export, names).getBytes(StandardCharsets.UTF_8)));
        for (int i = 0; i < names.size(); i++) {
            files.add(folder.write(names.get(i), csv(export.tables().get(i)).getBytes(StandardCharsets.UTF_8)));
        }
        return files;
    }

    static String csv(ExportedTable table) {
        StringBuilder text = new StringBuilder();
        text.append(CsvFields.record(table.columns().stream().map(ExportColumn::name).toList()));
        for (List<JsonNode> row : table.rows()) {
            text.append(CsvFields.record(row.stream().map(CsvFields::text).toList()));
        }
        return text.toString();
    }

    /**
     * public.users.csv, Loyalty.Card.csv: the qualified name with characters no file system takes
     * replaced by '_', and a number added when two names would collide on a case-insensitive one.
     */
    static List<String> fileNames(List<ExportedTable> tables) {
        List<String> names = new ArrayList<>();
        Set<String> taken = new HashSet<>(Set.of(README.toLowerCase(Locale.ROOT)));
        for (ExportedTable table : tables) {
            String base = table.exportName().replaceAll("[/\\\\:*?\"<>|\\x00-\\x1f]", "_");
            String name = base + ".csv";
            for (int n = 2; !taken.add(name.toLowerCase(Locale.ROOT)); n++) {
                name = base + "-" + n + ".csv";
            }
            names.add(name);
        }
        return names;
    }

    private static String readme(PortabilityExport export, List<String> names) {
        StringBuilder text = new StringBuilder();
        text.append("Personal data export (data portability)\n\n");
        text.append("subject:     ").append(export.subject()).append('\n');
        text.append("database:    ").append(export.database()).append('\n');
        text.append("exported at: ").append(export.exportedAt()).append('\n');
        text.append("policy:      ").append(export.policySource()).append("\n\n");
        text.append("Every row of the database that concerns the subject, one file per table, ")
                .append(export.rowCount()).append(" rows in all:\n\n");
        int width = names.stream().mapToInt(String::length).max().orElse(0);
        for (int i = 0; i < names.size(); i++) {
            ExportedTable table = export.tables().get(i);
            String file = names.get(i);
            text.append("  ").append(file).append(" ".repeat(width - file.length() + 2))
                    .append(table.rows().size()).append(table.rows().size() == 1 ? " row" : " rows")
                    .append("  (table ").append(table.exportName()).append(")\n");
        }
        text.append("""

                The files are CSV as RFC 4180 describes it: UTF-8, comma-separated, one header row of
                column names, lines ended by CR LF, fields holding a comma, quote or line break in double
                quotes. An empty field is NULL (no value); "" is an empty text. Timestamps are ISO-8601
                in UTC, amounts exact decimals, binary data base64, JSON values as JSON text.
                """);
        return text.toString().replace("\n", CsvFields.RECORD_END);
    }
}
