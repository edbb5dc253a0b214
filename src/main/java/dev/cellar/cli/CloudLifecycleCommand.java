package dev.cellar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cellar.config.RepositoryTarget;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.lifecycle.BucketLifecycleTarget;
import dev.cellar.storage.s3.S3Storage;
import dev.cellar.lifecycle.LifecycleJson;
import dev.cellar.lifecycle.LifecycleMerge;
import dev.cellar.lifecycle.LifecycleRules;
import dev.cellar.storage.Storage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;

@Command(name = "lifecycle", description = {"Bucket lifecycle rules for an S3 repository, from the lifecycle: section.",
        "WAL and monthly archives (self-contained objects) move to Standard-IA, Glacier and Deep Archive and expire by age; "
                + "chunks, manifests, keys, the header, locks and the audit trail are never moved or expired by the bucket "
                + "(Cellar's expire and gc remove them). Incomplete multipart uploads are aborted after 7 days. "
                + "--print writes the JSON that 'aws s3api put-bucket-lifecycle-configuration --lifecycle-configuration "
                + "file://rules.json' takes; --apply puts it on the bucket, keeping rules that are not this repository's. "
                + "See docs/lifecycle.md."})
final class CloudLifecycleCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    CommonOptions common;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    static final class Action {
        @Option(names = "--print", required = true, description = "Print the rules as JSON; change nothing.")
        boolean print;

        @Option(names = "--apply", required = true, description = "Put the rules on the bucket (shows what it has now and what it gets).")
        boolean apply;
    }

    /** What --apply did: the bucket's configuration before and after. */
    record Applied(String bucket, String prefix, JsonNode before, JsonNode after) {
    }

    @Override
    public Integer call() {
        try (CommandContext context = CommandContext.load(common, null)) {
            RepositoryTarget target = bucketCopy(context.repositoryTargets(), common.repositoryName);
            String prefix = target.s3().prefix();
            // WAL is kept from the oldest kept physical backup, at least retention.full-days: the bucket must not expire it sooner
            BucketLifecycleConfiguration ours = LifecycleRules.generate(context.config().lifecycle(), target.retention().fullDays(),
                    context.config().worm(), prefix);
            // stdout stays the JSON alone (it goes to a file); what the rules mean goes to stderr
            System.err.println("note: " + LifecycleRules.WHAT_NEVER_MOVES);
            System.err.println("note: " + LifecycleRules.VERSIONED_BUCKETS);
            if (action.print) {
                System.out.print(LifecycleJson.write(ours));
                System.err.println("apply with: cellar cloud lifecycle --apply" + (common.repositoryName == null ? "" : " --repo-name "
                        + common.repositoryName) + ", or aws s3api put-bucket-lifecycle-configuration --bucket " + target.s3().bucket()
                        + " --lifecycle-configuration file://rules.json (which replaces every rule the bucket has)");
                return 0;
            }
            BucketLifecycleTarget bucket = lifecycleTargetOf(context.driverOf(target), target);
            Optional<BucketLifecycleConfiguration> before = bucket.current();
            BucketLifecycleConfiguration after = LifecycleMerge.merge(before.orElse(null), ours, prefix, bucket.describe());
            bucket.put(after);
            new Output(System.out, common.json).result(
                    new Applied(target.s3().bucket(), prefix, before.map(LifecycleJson::tree).orElse(null), LifecycleJson.tree(after)),
                    "bucket " + bucket.describe() + " had " + before.map(c -> LifecycleJson.write(c).stripTrailing()).orElse("no lifecycle rules")
                            + "\nnow has " + LifecycleJson.write(after).stripTrailing()
                            + "\napplied " + ours.rules().size() + " rules for repository " + target.location());
            return 0;
        }
    }

    /** The one S3 copy the rules are for: the one --repo-name names, or the only bucket configured. */
    static RepositoryTarget bucketCopy(List<RepositoryTarget> targets, String repositoryName) {
        if (repositoryName != null || targets.size() == 1) {
            RepositoryTarget only = targets.get(0);
            if (!only.isS3()) {
                throw new CellarException(ErrorCode.CONFIG_INVALID, "repository '" + only.name() + "' is a local folder ("
                        + only.location() + "): lifecycle rules are for S3 buckets",
                        "local copies are kept by 'cellar expire' alone; pick an S3 copy with --repo-name");
            }
            return only;
        }
        List<RepositoryTarget> buckets = targets.stream().filter(RepositoryTarget::isS3).toList();
        if (buckets.size() == 1) {
            return buckets.get(0);
        }
        if (buckets.isEmpty()) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "no configured repository is an S3 bucket: lifecycle rules are for buckets",
                    "local copies are kept by 'cellar expire' alone");
        }
        throw new CellarException(ErrorCode.USAGE, "several S3 repositories are configured ("
                + String.join(", ", buckets.stream().map(RepositoryTarget::name).toList()) + "); say which with --repo-name");
    }

    private static BucketLifecycleTarget lifecycleTargetOf(Storage storage, RepositoryTarget target) {
        if (!(storage instanceof S3Storage bucket)) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, target.location() + " is not a bucket; lifecycle rules are for S3 repositories",
                    "run it with --repo-name naming an s3:// repository");
        }
        return new BucketLifecycleTarget() {
            @Override
            public String describe() {
                return "s3://" + target.s3().bucket();
            }

            @Override
            public java.util.Optional<software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration> current() {
                return bucket.bucketLifecycle();
            }

            @Override
            public void put(software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration configuration) {
                bucket.putBucketLifecycle(configuration);
            }
        };
    }
}
