package dev.cellar.repo;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.error.Futures;
import dev.cellar.pipeline.JitWarmUp;
import dev.cellar.storage.Storage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Finds backups by id or by "latest", reading manifests only as far as needed. A damaged
 * manifest never hides the intact ones: listings report it beside them, and "latest" is chosen
 * among the manifests that read, with the skipped ones told to the repository's notices.
 */
public final class BackupCatalog {
    public static final String LATEST = "latest";
    /** Manifests enough to read that compiling AES-GCM first pays: a physical one is hundreds of KB. */
    private static final int MANY = 32;

    private final Repository repository;

    public BackupCatalog(Repository repository) {
        this.repository = repository;
    }

    /** Every backup whose manifest reads, oldest first, and every manifest that does not. */
    public record Listing(List<BackupManifest> backups, List<DamagedManifest> damaged) {
    }

    /** The manifest for an id, or the newest backup of the kind when {@code idOrLatest} is "latest" (nothing named). */
    public BackupManifest resolve(String idOrLatest, String kind) {
        return resolve(idOrLatest, kind, BackupSubject.unnamed());
    }

    /**
     * The manifest for an id, or for "latest" the newest backup of {@code kind} (null: any kind)
     * of the subject.
     *
     * @throws CellarException {@code NOT_FOUND} when there is no such backup; {@code USAGE} when
     *                         nothing is named and the repository holds backups of several sources
     */
    public BackupManifest resolve(String idOrLatest, String kind, BackupSubject subject) {
        if (!LATEST.equalsIgnoreCase(idOrLatest)) {
            BackupManifest manifest = repository.manifests().load(idOrLatest);
            if (kind != null && !kind.equals(manifest.kind())) {
                throw new CellarException(ErrorCode.NOT_FOUND, "backup " + idOrLatest + " is a " + manifest.kind() + " backup, not " + kind);
            }
            return manifest;
        }
        if (subject.named()) {
            return latestOfDatabase(kind, subject.database());
        }
        if (subject.configuredDatabase() != null) {
            BackupManifest ofTarget = subject.fallbackDatabase() == null ? null : newestOf(kind, subject.fallbackDatabase());
            return ofTarget != null ? ofTarget : latestOfDatabase(kind, subject.configuredDatabase());
        }
        return latestOfOnlySource(kind, subject.fallbackDatabase());
    }

    /** The newest readable backup of {@code kind} of {@code database}, or null when there is none. */
    private BackupManifest newestOf(String kind, String database) {
        List<String> ids = repository.manifests().ids();
        for (int i = ids.size() - 1; i >= 0; i--) {
            BackupManifest manifest = readOrSkip(ids.get(i));
            if (manifest != null && database.equals(manifest.database()) && (kind == null || kind.equals(manifest.kind()))) {
                return manifest;
            }
        }
        return null;
    }

    /** Every backup whose manifest reads, oldest first; damaged manifests are skipped and told to the notices. */
    public List<BackupManifest> all() {
        Listing listing = listing();
        listing.damaged().forEach(repository.notices()::skippedDamaged);
        return listing.backups();
    }

    /** Every manifest, read or found damaged, oldest first. */
    public Listing listing() {
        Summaries<BackupManifest> read = readEach(repository.manifests()::load, manifest -> manifest);
        return new Listing(read.backups(), read.damaged());
    }

    /** What a listing made of each backup, oldest first, and every manifest that does not read. */
    public record Summaries<T>(List<T> backups, List<DamagedManifest> damaged) {
    }

    /**
     * Every backup as {@code summary} makes it, oldest first: each manifest authenticated whole
     * but read without its chunk references, and dropped once summarised, so a repository of
     * thousands of backups is listed in bounded memory.
     */
    public <T> Summaries<T> summaries(Function<BackupManifest, T> summary) {
        return readEach(repository.manifests()::loadWithoutChunks, summary);
    }

    /**
     * Every backup as {@code keep} makes it from its whole manifest (chunk references included),
     * oldest first, read in parallel and dropped once kept: for gc and expire, which need every
     * manifest's chunks but not every manifest at once. Damaged manifests are returned, not skipped.
     */
    public <T> Summaries<T> eachWhole(Function<BackupManifest, T> keep) {
        return readEach(repository.manifests()::load, keep);
    }

    /**
     * What {@code cellar list} shows of every backup, oldest first, and every manifest that does
     * not read: each manifest still authenticated whole (so a damaged one is reported), but parsed
     * only when it has no summary written for it (backups from before summaries existed).
     */
    public Summaries<BackupHeadline> headlines() {
        Set<String> withSummary = new HashSet<>(repository.manifests().idsWithSummary());
        return readEach(id -> repository.manifests().headline(id, withSummary.contains(id)), headline -> headline);
    }

    /**
     * Called before the repository is unlocked by a command that will read every manifest: counts
     * them on a thread of its own (no key needed) and, when there are many, gets AES-GCM decryption
     * compiled there while the key is derived, instead of after it ({@link #readEach} waits for it).
     */
    public static void warmUpBeforeUnlock(Storage storage) {
        if (JitWarmUp.decryptionStarted()) {
            // once per process: cellar server answers every listing of its API through here
            return;
        }
        Thread.ofPlatform().name("cellar-manifest-count").daemon().start(() -> {
            try {
                if (storage.list(RepositoryLayout.BACKUPS).size() > MANY) {
                    JitWarmUp.decryptionNow();
                }
            } catch (RuntimeException e) {
                // the listing after the unlock meets the same storage, and reports what is wrong with it
            }
        });
    }

    /** Every manifest read by {@code load} and made into what {@code summary} makes, oldest first, or found damaged. */
    private <M, T> Summaries<T> readEach(Function<String, M> load, Function<M, T> summary) {
        List<String> ids = repository.manifests().ids();
        if (ids.size() > MANY) {
            // every manifest is authenticated whole: get AES-GCM compiled before the first is read
            JitWarmUp.decryptionNow();
        }
        // read in parallel: each manifest is a round trip to the storage and a decryption and parse of its own
        int readers = Math.max(1, Math.min(ids.size(), Runtime.getRuntime().availableProcessors() * repository.storage().requestsPerWorker()));
        ExecutorService pool = Executors.newFixedThreadPool(readers, runnable -> {
            Thread thread = new Thread(runnable, "cellar-manifest-reader");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<CompletableFuture<Summarised<T>>> read = new ArrayList<>(ids.size());
            for (String id : ids) {
                read.add(CompletableFuture.supplyAsync(() -> summarise(id, load, summary), pool));
            }
            List<T> backups = new ArrayList<>();
            List<DamagedManifest> damaged = new ArrayList<>();
            for (CompletableFuture<Summarised<T>> one : read) {
                Summarised<T> result = Futures.join(one);
                if (result.summary() != null) {
                    backups.add(result.summary());
                } else if (result.damaged() != null) {
                    damaged.add(result.damaged());
                }
            }
            return new Summaries<>(List.copyOf(backups), List.copyOf(damaged));
        } finally {
            pool.shutdownNow();
        }
    }

    /** One manifest summarised, found damaged, or (both null) gone since it was listed. */
    private record Summarised<T>(T summary, DamagedManifest damaged) {
    }

    private static <M, T> Summarised<T> summarise(String id, Function<String, M> load, Function<M, T> summary) {
        try {
            return new Summarised<>(summary.apply(load.apply(id)), null);
        } catch (CorruptObjectException e) {
            return new Summarised<>(null, DamagedManifest.of(id, e));
        } catch (CellarException e) {
            requireGoneMeanwhile(e);
            return new Summarised<>(null, null);
        }
    }

    /**
     * Every readable physical backup of the cluster in question, oldest first (by end time): of
     * the one cluster the repository holds physical backups of, or, when it holds several, of
     * the configured cluster ({@code configuredCluster} is asked only then; empty when it cannot
     * tell). Empty when the repository holds no physical backup.
     *
     * @throws CellarException {@code USAGE} naming the clusters when several are there and the configured one is not among them
     */
    public List<BackupManifest> physicalBackupsOfOneCluster(Supplier<OptionalLong> configuredCluster) {
        Map<Long, List<BackupManifest>> byCluster = new LinkedHashMap<>();
        for (BackupManifest manifest : all()) {
            if (manifest.isPhysical()) {
                byCluster.computeIfAbsent(manifest.physical().systemIdentifier(), k -> new ArrayList<>()).add(manifest);
            }
        }
        if (byCluster.size() > 1) {
            OptionalLong configured = configuredCluster.get();
            if (configured.isEmpty() || !byCluster.containsKey(configured.getAsLong())) {
                List<String> clusters = byCluster.values().stream().map(b -> describeCluster(b.get(b.size() - 1))).toList();
                throw new CellarException(ErrorCode.USAGE, "repository " + repository.storage().describe() + " holds physical backups of "
                        + clusters.size() + " clusters (" + String.join("; ", clusters) + ") and "
                        + (configured.isEmpty() ? "the configured database server could not tell which it is"
                        : "the configured database server is cluster " + Long.toUnsignedString(configured.getAsLong()) + ", none of them"),
                        "pass --backup ID of a backup of the cluster to recover ('cellar list' shows each backup's system id)");
            }
            return sortedByEnd(byCluster.get(configured.getAsLong()));
        }
        return byCluster.isEmpty() ? List.of() : sortedByEnd(byCluster.values().iterator().next());
    }

    private static List<BackupManifest> sortedByEnd(List<BackupManifest> backups) {
        return backups.stream().sorted(Comparator.comparing(BackupManifest::finishedAt)).toList();
    }

    /** Newest first, stopping at the first match: a named database costs as many reads as backups newer than its latest. */
    private BackupManifest latestOfDatabase(String kind, String database) {
        List<String> ids = repository.manifests().ids();
        List<BackupManifest> others = new ArrayList<>();
        for (int i = ids.size() - 1; i >= 0; i--) {
            BackupManifest manifest = readOrSkip(ids.get(i));
            if (manifest == null) {
                continue;
            }
            if (database.equals(manifest.database()) && (kind == null || kind.equals(manifest.kind()))) {
                return manifest;
            }
            others.add(manifest);
        }
        List<String> sources = sources(others, kind);
        throw new CellarException(ErrorCode.NOT_FOUND, "repository " + repository.storage().describe() + " holds no "
                + (kind == null ? "" : kind + " ") + "backup of database " + database
                + (sources.isEmpty() ? "" : "; it holds backups of " + String.join(", ", sources)),
                sources.isEmpty() ? "take one with 'cellar backup logical -d " + database + "'"
                        : "name one of those with -d NAME (or database.name), or take a backup of " + database + " first");
    }

    /** With nothing named: the newest backup, if all backups of the kind come from one source. */
    private BackupManifest latestOfOnlySource(String kind, String fallbackDatabase) {
        Map<String, BackupManifest> newestBySource = new TreeMap<>();
        List<BackupManifest> ofKind = all().stream().filter(m -> kind == null || kind.equals(m.kind())).toList();
        ofKind.forEach(m -> newestBySource.put(sourceOf(m), m));
        if (newestBySource.isEmpty()) {
            throw new CellarException(ErrorCode.NOT_FOUND, "repository " + repository.storage().describe() + " holds no "
                    + (kind == null ? "" : kind + " ") + "backup yet", "take one with 'cellar backup logical'");
        }
        if (newestBySource.size() == 1) {
            return ofKind.get(ofKind.size() - 1);
        }
        if (fallbackDatabase != null && newestBySource.containsKey(databaseSource(fallbackDatabase))) {
            return newestBySource.get(databaseSource(fallbackDatabase));
        }
        throw new CellarException(ErrorCode.USAGE, "'latest' is ambiguous: repository " + repository.storage().describe()
                + " holds " + (kind == null ? "" : kind + " ") + "backups of " + String.join(", ", newestBySource.keySet()),
                "name the database with -d NAME (or database.name in cellar.yaml, CELLAR_DATABASE_NAME), or give a backup id "
                        + "from 'cellar list'");
    }

    private BackupManifest readOrSkip(String id) {
        try {
            return repository.manifests().load(id);
        } catch (CorruptObjectException e) {
            repository.notices().skippedDamaged(DamagedManifest.of(id, e));
            return null;
        } catch (CellarException e) {
            requireGoneMeanwhile(e);
            return null;
        }
    }

    /** A manifest listed a moment ago and missing now was expired meanwhile: it is not there any more. Anything else is a failure. */
    private static void requireGoneMeanwhile(CellarException e) {
        if (e.code() != ErrorCode.NOT_FOUND) {
            throw e;
        }
    }

    private static List<String> sources(List<BackupManifest> manifests, String kind) {
        return manifests.stream().filter(m -> kind == null || kind.equals(m.kind())).map(BackupCatalog::sourceOf).distinct().sorted().toList();
    }

    /** "database shop" for a logical backup, "cluster 7301…" for a physical one. */
    static String sourceOf(BackupManifest manifest) {
        return manifest.isPhysical() ? "cluster " + Long.toUnsignedString(manifest.physical().systemIdentifier())
                : databaseSource(manifest.database());
    }

    private static String databaseSource(String database) {
        return "database " + database;
    }

    private static String describeCluster(BackupManifest newest) {
        return "cluster " + Long.toUnsignedString(newest.physical().systemIdentifier()) + " from " + newest.source()
                + ", newest backup " + newest.id();
    }
}
