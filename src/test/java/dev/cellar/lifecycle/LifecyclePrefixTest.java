package dev.cellar.lifecycle;

import dev.cellar.config.LifecycleConfig;
import dev.cellar.config.WormConfig;
import dev.cellar.repo.BackupId;
import dev.cellar.repo.BackupManifest;
import dev.cellar.repo.ProgressListener;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositoryLock;
import dev.cellar.repo.StreamWriter;
import dev.cellar.repo.TestRepositories;
import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.LifecycleRule;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules' prefixes against the keys Cellar really writes: a repository on a local folder
 * gets a WAL segment, a history file, a backup (chunks and manifest), audit records and a held
 * lock; each key, placed under the repository's prefix in a bucket, is checked against every rule.
 */
class LifecyclePrefixTest {
    private static final String PREFIX = "prod/cellar/";

    @TempDir
    Path folder;

    @Test
    void walMatchesTheWalRuleAndNothingCellarManagesMatchesAnyRuleThatMovesOrExpires() throws Exception {
        Repository repository = TestRepositories.init(folder);
        WalArchive archive = new WalArchive(repository, 1);
        archive.push(WalFileName.parse("000000010000000000000003"), new byte[16 * 1024]);
        archive.push(WalFileName.parse("00000002.history"), "1\t0/3000000\tno recovery target specified\n".getBytes());
        List<String> keys = new ArrayList<>();
        try (RepositoryLock.Held held = repository.locks().acquireShared("test backup", Duration.ZERO);
             StreamWriter writer = new StreamWriter(repository, 1, 2)) {
            byte[] dump = new byte[200 * 1024];
            new Random(7).nextBytes(dump);
            StreamWriter.Written written = writer.write("dump", "custom", new ByteArrayInputStream(dump), ProgressListener.NONE);
            Instant now = Instant.now();
            repository.manifests().save(new BackupManifest(BackupId.next(now), BackupManifest.KIND_LOGICAL, now, now, "cafe", "17",
                    "pg_dump 17", "here", "test", List.of(written.stream()), List.of(), written.storedBytes(), 1, null));
            repository.audit().append("backup.logical", "cafe", "ok", "test", 0, null);
            keys.addAll(repository.storage().list(""));
        }
        List<LifecycleRule> rules = LifecycleRules.generate(LifecycleConfig.defaults(), 30, WormConfig.off(), PREFIX).rules();
        LifecycleRule walRule = rules.get(0);
        List<LifecycleRule> movingOrExpiring = rules.stream()
                .filter(r -> r.hasTransitions() && !r.transitions().isEmpty() || r.expiration() != null).toList();

        List<String> wal = keys.stream().filter(k -> k.startsWith("wal/")).toList();
        List<String> managed = keys.stream().filter(k -> !k.startsWith("wal/") && !k.startsWith("tmp/")).toList();
        assertThat(wal).containsExactlyInAnyOrder("wal/00000001/000000010000000000000003", "wal/00000002/00000002.history");
        assertThat(managed).anyMatch(k -> k.startsWith("chunks/")).anyMatch(k -> k.startsWith("backups/"))
                .anyMatch(k -> k.startsWith("keys/")).anyMatch(k -> k.startsWith("audit/")).anyMatch(k -> k.startsWith("locks/"))
                .contains("cellar.json");
        for (String key : wal) {
            assertThat(matches(walRule, PREFIX + key)).as("WAL key %s under the WAL rule", key).isTrue();
        }
        for (String key : managed) {
            for (LifecycleRule rule : movingOrExpiring) {
                assertThat(matches(rule, PREFIX + key)).as("%s must not match rule %s", key, rule.id()).isFalse();
            }
            assertThat(matches(rules.get(2), PREFIX + key)).as("the multipart-abort rule covers %s", key).isTrue();
        }
        assertThat(matches(walRule, "wal/00000001/000000010000000000000003")).as("a repository at another prefix is not touched").isFalse();
    }

    /** How S3 applies a prefix filter: a plain string prefix of the object key. */
    private static boolean matches(LifecycleRule rule, String objectKey) {
        return objectKey.startsWith(rule.filter().prefix());
    }
}
