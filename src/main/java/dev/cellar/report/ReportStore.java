package dev.cellar.report;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pipeline.AeadCipher;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryLayout;
import dev.cellar.storage.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Drill and audit reports in the repository, so they survive with the backups they speak of: one
 * folder per report, {@code reports/<kind>/<id>/<file>}, each file sealed (AES-256-GCM under a key
 * derived for reports, the object key as associated data) and written once. A report is never
 * rewritten: a later run is a new report with a new id.
 */
public final class ReportStore {
    static final String KEY_PURPOSE = "reports";
    /** The kinds of reports, each a folder under reports/. */
    public static final String DRILL = "drill";
    public static final String QUARTERLY = "quarterly";
    public static final String ANNUAL = "annual";

    private final Storage storage;
    private final AeadCipher cipher;
    private final ReportSignature signature;

    ReportStore(Storage storage, AeadCipher cipher, ReportSignature signature) {
        this.storage = storage;
        this.cipher = cipher;
        this.signature = signature;
    }

    public static ReportStore of(Repository repository) {
        return new ReportStore(repository.storage(), new AeadCipher(repository.derivedKey(KEY_PURPOSE)), ReportSignature.of(repository));
    }

    static String keyOf(String kind, String id, String file) {
        return RepositoryLayout.REPORTS + kind + "/" + id + "/" + file;
    }

    /**
     * Stores a report's files (name to content, e.g. report.json, report.md, report.html). The
     * file named first is written last, so a report whose first file is there is complete.
     */
    public void put(String kind, String id, Map<String, byte[]> files) {
        List<Map.Entry<String, byte[]>> ordered = new ArrayList<>(files.entrySet());
        for (int i = ordered.size() - 1; i >= 0; i--) {
            String key = keyOf(kind, id, ordered.get(i).getKey());
            if (!storage.putIfAbsent(key, cipher.seal(ordered.get(i).getValue(), key))) {
                throw new CellarException(ErrorCode.INTEGRITY, "a report " + kind + "/" + id + " already holds " + ordered.get(i).getKey(),
                        "reports are written once; run the command again for a new report id");
            }
        }
    }

    /** The ids of the stored reports of one kind, oldest first (ids sort by time). */
    public List<String> ids(String kind) {
        String prefix = RepositoryLayout.REPORTS + kind + "/";
        TreeSet<String> ids = new TreeSet<>();
        for (String key : storage.list(prefix)) {
            String rest = key.substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash > 0) {
                ids.add(rest.substring(0, slash));
            }
        }
        return List.copyOf(ids);
    }

    /** One file of a stored report, authenticated; a changed or moved object is refused. */
    public byte[] read(String kind, String id, String file) {
        String key = keyOf(kind, id, file);
        if (!storage.exists(key)) {
            throw new CellarException(ErrorCode.NOT_FOUND, "no report " + kind + "/" + id + " with a file " + file + " in " + storage.describe(),
                    "list the reports with 'cellar report list'");
        }
        try {
            return cipher.open(storage.get(key), key);
        } catch (AeadCipher.AuthenticationFailedException e) {
            throw new CellarException(ErrorCode.INTEGRITY, "the report object " + key + " cannot be authenticated: changed, moved or sealed "
                    + "with another key", "restore it from a copy of the repository ('cellar verify' lists damaged objects)");
        }
    }

    /** The names of a stored report's files. */
    public List<String> files(String kind, String id) {
        String prefix = RepositoryLayout.REPORTS + kind + "/" + id + "/";
        return storage.list(prefix).stream().map(k -> k.substring(prefix.length())).toList();
    }

    /**
     * Writes the report's files into {@code folder}, each with its signature beside it
     * ({@code <file>.sig}), and returns the paths written.
     */
    public List<Path> export(String kind, String id, Path folder) {
        Map<Path, byte[]> written = new LinkedHashMap<>();
        for (String file : files(kind, id)) {
            byte[] content = read(kind, id, file);
            written.put(folder.resolve(file), content);
            written.put(folder.resolve(file + ".sig"), (signature.sign(content) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        try {
            Files.createDirectories(folder);
            for (Map.Entry<Path, byte[]> entry : written.entrySet()) {
                Files.write(entry.getKey(), entry.getValue());
            }
        } catch (IOException e) {
            throw new CellarException(ErrorCode.STORAGE_FULL, "cannot write the report into " + folder + ": " + e.getMessage(),
                    "choose a folder you can write to with --output, or free space");
        }
        return List.copyOf(written.keySet());
    }

    public ReportSignature signature() {
        return signature;
    }
}
