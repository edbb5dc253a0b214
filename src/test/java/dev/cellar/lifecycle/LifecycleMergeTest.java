package dev.cellar.lifecycle;

import dev.cellar.config.LifecycleConfig;
import dev.cellar.config.WormConfig;
import dev.cellar.error.CellarException;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.LifecycleRule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LifecycleMergeTest {
    private static final BucketLifecycleConfiguration OURS = LifecycleRules.generate(LifecycleConfig.defaults(), 30, WormConfig.off(), "prod/");

    @Test
    void foreignRulesStayAndOurEarlierRulesAreReplaced() {
        BucketLifecycleConfiguration before = LifecycleJson.read("""
                {"Rules":[{"ID":"logs","Filter":{"Prefix":"logs/"},"Status":"Enabled","Expiration":{"Days":10}},
                          {"ID":"cellar:prod/wal/","Filter":{"Prefix":"prod/wal/"},"Status":"Enabled","Expiration":{"Days":9999}},
                          {"ID":"cellar:staging/wal/","Filter":{"Prefix":"staging/wal/"},"Status":"Enabled","Expiration":{"Days":40}}]}""");

        BucketLifecycleConfiguration merged = LifecycleMerge.merge(before, OURS, "prod/", "s3://b");

        assertThat(merged.rules()).extracting(LifecycleRule::id)
                .containsExactly("logs", "cellar:staging/wal/", "cellar:prod/wal/", "cellar:prod/archives/", "cellar:prod/abort-incomplete-uploads");
        assertThat(merged.rules().get(2).expiration().days()).isEqualTo(2555);
    }

    @Test
    void aForeignRuleThatWouldExpireChunksIsRefused() {
        for (String prefix : List.of("", "prod/", "prod/chunks/", "prod/cellar.json")) {
            BucketLifecycleConfiguration before = LifecycleJson.read("{\"Rules\":[{\"ID\":\"old\",\"Filter\":{\"Prefix\":\"" + prefix
                    + "\"},\"Status\":\"Enabled\",\"Transitions\":[{\"Days\":30,\"StorageClass\":\"GLACIER\"}]}]}");

            assertThatThrownBy(() -> LifecycleMerge.merge(before, OURS, "prod/", "s3://b")).as("prefix '%s'", prefix)
                    .isInstanceOf(CellarException.class).hasMessageContaining("lifecycle rule 'old'").hasMessageContaining("Cellar manages itself");
        }
        BucketLifecycleConfiguration disabled = LifecycleJson.read(
                "{\"Rules\":[{\"ID\":\"off\",\"Filter\":{\"Prefix\":\"\"},\"Status\":\"Disabled\",\"Expiration\":{\"Days\":1}}]}");
        assertThat(LifecycleMerge.merge(disabled, OURS, "prod/", "s3://b").rules()).hasSize(4);
    }

    @Test
    void aRuleThatOnlyReclaimsNoncurrentVersionsStaysAndOneExpiringCurrentObjectsDoesNot() {
        BucketLifecycleConfiguration reclaim = LifecycleJson.read("""
                {"Rules":[{"ID":"noncurrent-prod","Filter":{"Prefix":"prod/"},"Status":"Enabled",
                           "NoncurrentVersionExpiration":{"NoncurrentDays":30},"Expiration":{"ExpiredObjectDeleteMarker":true}}]}""");

        assertThat(LifecycleMerge.merge(reclaim, OURS, "prod/", "s3://b").rules()).extracting(LifecycleRule::id).contains("noncurrent-prod");

        BucketLifecycleConfiguration expiring = LifecycleJson.read("""
                {"Rules":[{"ID":"everything","Filter":{"Prefix":"prod/"},"Status":"Enabled",
                           "NoncurrentVersionExpiration":{"NoncurrentDays":30},"Expiration":{"Days":400}}]}""");
        assertThatThrownBy(() -> LifecycleMerge.merge(expiring, OURS, "prod/", "s3://b")).hasMessageContaining("lifecycle rule 'everything'");
    }
}
