package dev.cellar.restore;

import dev.cellar.pg.ArchiveStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a whole-database restore can load table data straight from the archive stream into
 * COPY, decided from the archive's table of contents alone, and what it then needs: the client
 * encoding the rows were written in, each data entry's COPY statement, and the list of everything
 * else in the data section (sequence values, …) that pg_restore restores. Anything this does not
 * know how to load the same way pg_restore would is a reason to take the materialised path.
 *
 * @param fallbackReason null when the streamed path applies, otherwise why not (for the log)
 * @param clientEncoding the encoding of the ENCODING entry, e.g. "UTF8"
 * @param copyStatements by dump id: the COPY statement of every TABLE DATA entry
 * @param dataListFile   a pg_restore list file of the data-section entries other than TABLE DATA
 */
public record StreamedRestorePlan(String fallbackReason, String clientEncoding, Map<Integer, String> copyStatements,
                                  List<String> dataListFile) {
    private static final Pattern ENCODING = Pattern.compile("SET client_encoding = '([A-Za-z0-9_]+)';");
    private static final Pattern COPY = Pattern.compile("(?s)COPY .+ FROM stdin;\\s*");

    public boolean streamed() {
        return fallbackReason == null;
    }

    static StreamedRestorePlan fallback(String reason) {
        return new StreamedRestorePlan(reason, null, Map.of(), List.of());
    }

    public static StreamedRestorePlan of(ArchiveStream.Head head) {
        if (head.compressed()) {
            return fallback("pg_dump compressed its data blocks");
        }
        String encoding = null;
        Map<Integer, String> copies = new HashMap<>();
        List<String> others = new ArrayList<>();
        for (ArchiveStream.Entry e : head.entries()) {
            if (e.desc().equals("ENCODING")) {
                Matcher m = ENCODING.matcher(e.definition());
                if (!m.find()) {
                    return fallback("its ENCODING entry is not a plain SET client_encoding: " + e.definition().strip());
                }
                encoding = m.group(1);
            }
            if (e.desc().equals("TABLE DATA")) {
                if (!e.hasData() || !COPY.matcher(e.copyStatement()).matches()) {
                    return fallback("TABLE DATA " + e.namespace() + "." + e.tag() + " has no COPY statement");
                }
                copies.put(e.dumpId(), e.copyStatement().strip());
            } else if (e.hasData()) {
                return fallback("it holds data other than table rows: " + e.desc() + " " + e.tag());
            } else if (e.section() == ArchiveStream.SECTION_DATA) {
                others.add(e.dumpId() + "; " + e.desc() + " " + e.namespace() + " " + e.tag());
            }
        }
        if (encoding == null) {
            return fallback("it has no ENCODING entry");
        }
        return new StreamedRestorePlan(null, encoding, Map.copyOf(copies), List.copyOf(others));
    }
}
