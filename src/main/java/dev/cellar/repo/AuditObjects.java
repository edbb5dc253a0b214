package dev.cellar.repo;

import dev.cellar.storage.Reachability;
import dev.cellar.error.CellarException;
import dev.cellar.storage.MirroredStorage;
import dev.cellar.storage.NoSuchObjectException;
import dev.cellar.storage.Storage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * The audit objects of a repository as its copies hold them: of its one storage, or of each copy
 * of a mirrored one read apart. A mirrored read returns the first copy's object alone, which
 * would hide a record another copy holds under the same name; here both are seen.
 */
final class AuditObjects {
    /** Stands for the one copy of a storage that is not mirrored. */
    static final String ONLY_COPY = "";

    /** One content found under a name, and the copies holding exactly these bytes there. */
    record Version(String key, byte[] bytes, List<String> copies) {
    }

    private final Map<String, Storage> copies;
    private final NavigableMap<String, List<String>> holders;

    private AuditObjects(Map<String, Storage> copies, NavigableMap<String, List<String>> holders) {
        this.copies = copies;
        this.holders = holders;
    }

    /** Lists the trail in every copy that can be reached (a mirrored storage says which it left out). */
    static AuditObjects list(Storage storage) {
        Map<String, Storage> copies = new LinkedHashMap<>();
        Map<String, List<String>> listings;
        if (storage instanceof MirroredStorage mirror) {
            listings = mirror.askEach(s -> s.list(AuditKeys.PREFIX));
            listings.keySet().forEach(name -> copies.put(name, mirror.member(name)));
        } else {
            listings = Map.of(ONLY_COPY, storage.list(AuditKeys.PREFIX));
            copies.put(ONLY_COPY, storage);
        }
        NavigableMap<String, List<String>> holders = new TreeMap<>();
        listings.forEach((copy, keys) -> keys.forEach(key -> holders.computeIfAbsent(key, k -> new ArrayList<>()).add(copy)));
        return new AuditObjects(copies, holders);
    }

    /** The copies read (in configuration order), or {@link #ONLY_COPY}. */
    Set<String> copies() {
        return copies.keySet();
    }

    Storage copy(String name) {
        return copies.get(name);
    }

    /** Every name found, ascending. */
    Set<String> keySet() {
        return holders.keySet();
    }

    /** The copies that list {@code key}. */
    List<String> holders(String key) {
        return holders.getOrDefault(key, List.of());
    }

    /**
     * Each distinct content stored under {@code key} among the copies that list it. A copy that
     * lost the object since the listing, or stopped answering, is passed over.
     */
    List<Version> versions(String key) {
        List<Version> versions = new ArrayList<>();
        for (String copy : holders(key)) {
            byte[] bytes;
            try {
                bytes = copies.get(copy).get(key);
            } catch (NoSuchObjectException gone) {
                continue;
            } catch (CellarException e) {
                if (copies.size() == 1 || !Reachability.unreachable(e)) {
                    throw e;
                }
                continue; // the mirror reports the copy unreachable once; the others are read
            }
            Version same = versions.stream().filter(v -> Arrays.equals(v.bytes(), bytes)).findFirst().orElse(null);
            if (same == null) {
                versions.add(new Version(key, bytes, new ArrayList<>(List.of(copy))));
            } else {
                same.copies().add(copy);
            }
        }
        return versions;
    }
}
