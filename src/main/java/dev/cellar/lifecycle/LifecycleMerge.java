package dev.cellar.lifecycle;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.RepositoryLayout;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;

/**
 * What to put on a bucket that may already have lifecycle rules: S3 replaces the whole
 * configuration at once, so rules that are not this repository's (other applications, other
 * repositories in the same bucket) are carried over, and this repository's rules replace their
 * earlier versions. A foreign rule that would move or expire objects Cellar manages itself
 * (chunks, manifests, keys, ...) is refused: it would break restores sooner or later.
 */
public final class LifecycleMerge {
    private LifecycleMerge() {
    }

    public static BucketLifecycleConfiguration merge(BucketLifecycleConfiguration current, BucketLifecycleConfiguration ours,
                                                     String keyPrefix, String bucket) {
        String prefix = LifecycleRules.normalise(keyPrefix);
        List<LifecycleRule> rules = new ArrayList<>();
        if (current != null) {
            for (LifecycleRule rule : current.rules()) {
                if (LifecycleRules.isOurs(rule, prefix)) {
                    continue;
                }
                String managed = touchedManagedPrefix(rule, prefix);
                if (managed != null) {
                    throw new CellarException(ErrorCode.CONFIG_INVALID, "the bucket " + bucket + " has lifecycle rule '" + rule.id()
                            + "' (prefix '" + ruleFilterPrefix(rule) + "') that moves or expires " + prefix + managed
                            + ", which Cellar manages itself: restores need those objects in a readable storage class until "
                            + "'cellar expire' removes them",
                            "narrow or delete that rule (aws s3api get-bucket-lifecycle-configuration shows it), then apply again");
                }
                rules.add(rule);
            }
        }
        rules.addAll(ours.rules());
        return BucketLifecycleConfiguration.builder().rules(rules).build();
    }

    /**
     * The Cellar-managed area a rule transitions or expires, or null when it touches none. Only
     * current objects count: a rule that removes noncurrent versions and the delete markers left
     * with nothing under them (how a versioned bucket gets its space back) is welcome.
     */
    static String touchedManagedPrefix(LifecycleRule rule, String repositoryPrefix) {
        if (rule.status() != ExpirationStatus.ENABLED || !(rule.hasTransitions() && !rule.transitions().isEmpty()
                || expiresCurrentObjects(rule))) {
            return null;
        }
        String filter = ruleFilterPrefix(rule);
        for (String managed : RepositoryLayout.CELLAR_MANAGED) {
            String full = repositoryPrefix + managed;
            if (full.startsWith(filter) || filter.startsWith(full)) {
                return managed;
            }
        }
        return null;
    }

    private static boolean expiresCurrentObjects(LifecycleRule rule) {
        return rule.expiration() != null && (rule.expiration().days() != null || rule.expiration().date() != null);
    }

    /** The key prefix a rule applies to; "" (everything) when its filter is by tag or size only. */
    static String ruleFilterPrefix(LifecycleRule rule) {
        LifecycleRuleFilter filter = rule.filter();
        if (filter != null && filter.prefix() != null) {
            return filter.prefix();
        }
        if (filter != null && filter.and() != null && filter.and().prefix() != null) {
            return filter.and().prefix();
        }
        @SuppressWarnings("deprecation")
        String legacy = rule.prefix();
        return legacy == null ? "" : legacy;
    }
}
