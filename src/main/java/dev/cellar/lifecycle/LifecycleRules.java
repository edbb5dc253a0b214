package dev.cellar.lifecycle;

import dev.cellar.config.LifecycleConfig;
import dev.cellar.config.WormConfig;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.RepositoryLayout;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.model.AbortIncompleteMultipartUpload;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleExpiration;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.Transition;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;

/**
 * The bucket lifecycle rules for one repository: objects that stand alone (WAL, monthly
 * archives) move to colder storage classes and expire by age; everything else (chunks shared by
 * many backups, manifests, keys, the header, locks, the audit trail) is never touched by the
 * bucket, because Cellar's own expire and gc decide when those go, and a restore reads them.
 * One more rule, on the whole repository prefix, aborts multipart uploads left by a killed
 * upload after {@value #ABORT_MULTIPART_DAYS} days: it removes only parts of objects that never
 * came to exist.
 */
public final class LifecycleRules {
    /** S3 keeps objects in Standard-IA at least 30 days: it refuses an earlier transition. */
    static final int STANDARD_IA_MINIMUM_DAYS = 30;
    /** S3 refuses a transition from Standard-IA to a Glacier class less than 30 days after the one to Standard-IA. */
    static final int DAYS_IN_STANDARD_IA_BEFORE_GLACIER = 30;
    static final int ABORT_MULTIPART_DAYS = 7;
    static final String ID_PREFIX = "cellar:";
    /**
     * What the rules leave alone, and why: said by {@code cellar cloud lifecycle} itself, since
     * the seed's schedule ("30 days to IA ... 7 years") reads as if it moved full backups too.
     */
    public static final String WHAT_NEVER_MOVES = "these rules move and expire only WAL (wal/) and monthly archives (archives/):"
            + " the full backups' data (chunks/, deduplicated and shared by old and new backups alike), their manifests (backups/),"
            + " keys, locks and the audit trail never go to a colder class or expire by the bucket; a chunk written a year ago may"
            + " be part of last night's backup. 'cellar expire' and 'cellar gc' remove what no kept backup needs";
    /** For a bucket that keeps versions: the rule Cellar does not write for you. */
    public static final String VERSIONED_BUCKETS = "on a versioned bucket (every bucket with Object Lock) a delete only writes a"
            + " delete marker: add a NoncurrentVersionExpiration rule to reclaim the space (locked versions stay until their lock"
            + " ends whatever the rule says); see docs/lifecycle.md";

    private LifecycleRules() {
    }

    /**
     * @param config         the lifecycle: section
     * @param walKeptDays    how long Cellar itself keeps WAL at least (retention.full-days: WAL is
     *                       kept from the oldest kept physical backup); the bucket must not expire it sooner
     * @param worm           the worm: section: the bucket must not expire WAL or archives a locked
     *                       backup may still need, so expiry comes after the lock ends
     * @param keyPrefix      the repository's folder inside the bucket, "" or ending with '/'
     * @throws CellarException {@code CONFIG_INVALID} when the rules would be refused by S3 or would
     *                         expire WAL that Cellar still keeps or a locked backup needs
     */
    public static BucketLifecycleConfiguration generate(LifecycleConfig config, int walKeptDays, WormConfig worm, String keyPrefix) {
        validate(config, walKeptDays);
        validateAgainstLocks(config, worm);
        String prefix = normalise(keyPrefix);
        List<LifecycleRule> rules = new ArrayList<>();
        rules.add(ageRule(ruleId(prefix, RepositoryLayout.WAL), prefix + RepositoryLayout.WAL, config));
        rules.add(ageRule(ruleId(prefix, RepositoryLayout.ARCHIVES), prefix + RepositoryLayout.ARCHIVES, config));
        rules.add(LifecycleRule.builder()
                .id(ruleId(prefix, "abort-incomplete-uploads"))
                .filter(LifecycleRuleFilter.builder().prefix(prefix).build())
                .status(ExpirationStatus.ENABLED)
                .abortIncompleteMultipartUpload(AbortIncompleteMultipartUpload.builder().daysAfterInitiation(ABORT_MULTIPART_DAYS).build())
                .build());
        return BucketLifecycleConfiguration.builder().rules(rules).build();
    }

    private static LifecycleRule ageRule(String id, String prefix, LifecycleConfig config) {
        List<Transition> transitions = new ArrayList<>();
        addTransition(transitions, config.infrequentAccessDays(), TransitionStorageClass.STANDARD_IA);
        addTransition(transitions, config.glacierDays(), TransitionStorageClass.GLACIER);
        addTransition(transitions, config.deepArchiveDays(), TransitionStorageClass.DEEP_ARCHIVE);
        LifecycleRule.Builder rule = LifecycleRule.builder()
                .id(id)
                .filter(LifecycleRuleFilter.builder().prefix(prefix).build())
                .status(ExpirationStatus.ENABLED);
        if (!transitions.isEmpty()) {
            rule.transitions(transitions);
        }
        if (config.expireDays() > 0) {
            rule.expiration(LifecycleExpiration.builder().days(config.expireDays()).build());
        }
        return rule.build();
    }

    private static void addTransition(List<Transition> transitions, int days, TransitionStorageClass storageClass) {
        if (days > 0) {
            transitions.add(Transition.builder().days(days).storageClass(storageClass).build());
        }
    }

    /** Rule ids carry the repository prefix, so the rules of two repositories in one bucket never replace each other. */
    static String ruleId(String prefix, String what) {
        return ID_PREFIX + prefix + what;
    }

    /** Whether a rule in the bucket is one of those generated for the repository at {@code keyPrefix}. */
    static boolean isOurs(LifecycleRule rule, String keyPrefix) {
        String prefix = normalise(keyPrefix);
        return rule.id() != null && (rule.id().equals(ruleId(prefix, RepositoryLayout.WAL))
                || rule.id().equals(ruleId(prefix, RepositoryLayout.ARCHIVES)) || rule.id().equals(ruleId(prefix, "abort-incomplete-uploads")));
    }

    static String normalise(String keyPrefix) {
        if (keyPrefix == null || keyPrefix.isEmpty()) {
            return "";
        }
        String p = keyPrefix.startsWith("/") ? keyPrefix.substring(1) : keyPrefix;
        return p.endsWith("/") ? p : p + "/";
    }

    private static void validate(LifecycleConfig config, int walKeptDays) {
        int ia = config.infrequentAccessDays();
        int glacier = config.glacierDays();
        int deep = config.deepArchiveDays();
        int expire = config.expireDays();
        if (ia > 0 && ia < STANDARD_IA_MINIMUM_DAYS) {
            throw invalid("lifecycle.infrequent-access-days is " + ia + "; S3 moves objects to Standard-IA no sooner than "
                    + STANDARD_IA_MINIMUM_DAYS + " days after they are written", "set it to 30 or more, or 0 to leave Standard-IA out");
        }
        List<int[]> steps = new ArrayList<>(); // {days, index into names}, the steps that are on
        String[] names = {"lifecycle.infrequent-access-days", "lifecycle.glacier-days", "lifecycle.deep-archive-days"};
        int[] days = {ia, glacier, deep};
        for (int i = 0; i < days.length; i++) {
            if (days[i] > 0) {
                steps.add(new int[] {days[i], i});
            }
        }
        for (int i = 1; i < steps.size(); i++) {
            int[] before = steps.get(i - 1);
            int[] after = steps.get(i);
            if (after[0] <= before[0]) {
                throw invalid(names[after[1]] + " (" + after[0] + ") must be later than " + names[before[1]] + " (" + before[0]
                        + "): each step moves objects to a colder class", "make the days strictly increasing, or set a step to 0 to leave it out");
            }
        }
        if (ia > 0) {
            for (int i = 1; i < days.length; i++) {
                if (days[i] > 0 && days[i] < ia + DAYS_IN_STANDARD_IA_BEFORE_GLACIER) {
                    throw invalid(names[i] + " is " + days[i] + " but S3 keeps objects in Standard-IA at least "
                            + DAYS_IN_STANDARD_IA_BEFORE_GLACIER + " days before a Glacier class (from day " + ia + ")",
                            "set " + names[i] + " to " + (ia + DAYS_IN_STANDARD_IA_BEFORE_GLACIER) + " or more");
                }
            }
        }
        if (expire > 0) {
            int last = steps.isEmpty() ? 0 : steps.get(steps.size() - 1)[0];
            if (expire <= last) {
                throw invalid("lifecycle.expire-days (" + expire + ") must be later than the last transition (day " + last + ")",
                        "raise lifecycle.expire-days, or set it to 0 so the bucket never expires WAL and archives");
            }
            if (expire < walKeptDays) {
                throw invalid("lifecycle.expire-days (" + expire + ") is shorter than retention.full-days (" + walKeptDays
                        + "): the bucket would delete WAL that Cellar still keeps for point-in-time recovery from its oldest kept backup",
                        "raise lifecycle.expire-days to at least " + walKeptDays + ", or set it to 0 and let 'cellar expire' delete WAL");
            }
        }
    }

    /**
     * An expiration rule on a bucket with Object Lock does not delete a locked version: it puts
     * a delete marker over it, and the WAL a locked physical backup needs (or a locked archive)
     * vanishes from every listing while the lock still runs. So expiry must wait for the lock.
     */
    private static void validateAgainstLocks(LifecycleConfig config, WormConfig worm) {
        if (worm.enabled() && config.expireDays() > 0 && config.expireDays() < worm.retainDays()) {
            throw invalid("lifecycle.expire-days (" + config.expireDays() + ") is shorter than worm.retain-days (" + worm.retainDays()
                            + "): the bucket would expire WAL and archives that locked backups still need while their lock runs",
                    "raise lifecycle.expire-days to at least " + worm.retainDays() + ", or set it to 0 and let 'cellar expire' delete"
                            + " WAL once no locked backup needs it");
        }
    }

    private static CellarException invalid(String message, String hint) {
        return new CellarException(ErrorCode.CONFIG_INVALID, message, hint);
    }
}
