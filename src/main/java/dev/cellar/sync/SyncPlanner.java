package dev.cellar.sync;

import dev.cellar.config.RetentionConfig;
import dev.cellar.expire.BackupSummary;
import dev.cellar.expire.RetentionPlan;
import dev.cellar.expire.RetentionPlanner;
import dev.cellar.expire.StoredSizes;
import dev.cellar.wal.WalFileName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides what a target copy should receive from a source copy. A pure function: the target's
 * retention judges the backups of both copies together, as if the target held them all; what it
 * would keep and lacks is copied, what it would expire at once is not (a copy with a shorter
 * retention must not fill up with backups its own expire then deletes).
 */
public final class SyncPlanner {

    private final RetentionPlanner retention;

    public SyncPlanner(RetentionConfig targetRetention) {
        this.retention = new RetentionPlanner(targetRetention);
    }

    public SyncPlan plan(List<BackupSummary> source, List<BackupSummary> target, List<WalFileName> sourceWal,
                         List<WalFileName> targetWal, Instant now) {
        Map<String, BackupSummary> union = new LinkedHashMap<>();
        target.forEach(b -> union.put(b.id(), b));
        source.forEach(b -> union.putIfAbsent(b.id(), b));
        Set<WalFileName> allWal = new TreeSet<>(targetWal);
        allWal.addAll(sourceWal);
        RetentionPlan plan = retention.plan(List.copyOf(union.values()), List.copyOf(allWal), now, StoredSizes.NONE);

        Set<String> kept = new HashSet<>();
        plan.keep().forEach(d -> kept.add(d.id()));
        Map<String, String> deleteReasons = new LinkedHashMap<>();
        plan.delete().forEach(d -> deleteReasons.put(d.id(), d.reason()));
        Set<String> inTarget = new HashSet<>();
        target.forEach(b -> inTarget.add(b.id()));
        List<String> copy = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        source.stream().map(BackupSummary::id).sorted().filter(id -> !inTarget.contains(id)).forEach(id -> {
            if (kept.contains(id)) {
                copy.add(id);
            } else {
                skipped.add(id + ": the target's retention would expire it at once (" + deleteReasons.get(id) + ")");
            }
        });

        Set<String> expiredWal = new HashSet<>(plan.walToDelete());
        Set<WalFileName> targetHas = new HashSet<>(targetWal);
        List<WalFileName> walCopy = new ArrayList<>();
        List<String> walSkipped = new ArrayList<>();
        for (WalFileName file : new TreeSet<>(sourceWal)) {
            if (targetHas.contains(file)) {
                continue;
            }
            if (expiredWal.contains(file.name())) {
                walSkipped.add(file.name());
            } else {
                walCopy.add(file);
            }
        }
        return new SyncPlan(copy, skipped, walCopy, walSkipped);
    }
}
