package dev.cellar.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cellar.config.LifecycleConfig;
import dev.cellar.config.WormConfig;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LifecycleRulesTest {
    private static final LifecycleConfig DEFAULTS = LifecycleConfig.defaults();

    @Test
    void defaultRulesAreTheS3ApiJsonWithPreciseWalAndArchivePrefixes() throws Exception {
        String json = LifecycleJson.write(LifecycleRules.generate(DEFAULTS, 30, WormConfig.off(), "prod/"));

        assertThat(json).doesNotContain("//");
        JsonNode rules = new ObjectMapper().readTree(json).get("Rules");
        assertThat(rules).hasSize(3);
        JsonNode wal = rules.get(0);
        assertThat(wal.get("ID").asText()).isEqualTo("cellar:prod/wal/");
        assertThat(wal.get("Filter").get("Prefix").asText()).isEqualTo("prod/wal/");
        assertThat(wal.get("Status").asText()).isEqualTo("Enabled");
        assertThat(wal.get("Transitions").toString())
                .isEqualTo("[{\"Days\":30,\"StorageClass\":\"STANDARD_IA\"},{\"Days\":90,\"StorageClass\":\"GLACIER\"},"
                        + "{\"Days\":365,\"StorageClass\":\"DEEP_ARCHIVE\"}]");
        assertThat(wal.get("Expiration").toString()).isEqualTo("{\"Days\":2555}");
        assertThat(rules.get(1).get("Filter").get("Prefix").asText()).isEqualTo("prod/archives/");
        assertThat(rules.get(1).get("Transitions")).isEqualTo(wal.get("Transitions"));
        JsonNode abort = rules.get(2);
        assertThat(abort.get("Filter").get("Prefix").asText()).isEqualTo("prod/");
        assertThat(abort.get("AbortIncompleteMultipartUpload").toString()).isEqualTo("{\"DaysAfterInitiation\":7}");
        assertThat(abort.has("Transitions")).isFalse();
        assertThat(abort.has("Expiration")).isFalse();
    }

    @Test
    void everyFieldSurvivesTheRoundTripThroughTheSdkModel() {
        BucketLifecycleConfiguration generated = LifecycleRules.generate(DEFAULTS, 30, WormConfig.off(), "prod/");

        BucketLifecycleConfiguration read = LifecycleJson.read(LifecycleJson.write(generated));

        assertThat(read).isEqualTo(generated);
        assertThat(LifecycleJson.write(read)).isEqualTo(LifecycleJson.write(generated));
        LifecycleRule wal = read.rules().get(0);
        assertThat(wal.status()).isEqualTo(ExpirationStatus.ENABLED);
        assertThat(wal.filter().prefix()).isEqualTo("prod/wal/");
        assertThat(wal.transitions()).extracting(t -> t.days() + " " + t.storageClass())
                .containsExactly("30 STANDARD_IA", "90 GLACIER", "365 DEEP_ARCHIVE");
        assertThat(wal.expiration().days()).isEqualTo(2555);
        assertThat(read.rules().get(2).abortIncompleteMultipartUpload().daysAfterInitiation()).isEqualTo(7);
    }

    @Test
    void theJsonAlsoBindsToTheSdkBuildersWithPlainJackson() throws Exception {
        // a second reader that shares no code with LifecycleJson: Jackson on the SDK's serializable builder class
        BucketLifecycleConfiguration generated = LifecycleRules.generate(new LifecycleConfig(45, 120, 0, 400), 30, WormConfig.off(), "");
        ObjectMapper jackson = JsonMapper.builder().enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES).build();

        Object builder = jackson.readValue(LifecycleJson.write(generated), BucketLifecycleConfiguration.serializableBuilderClass());

        assertThat(((BucketLifecycleConfiguration.Builder) builder).build()).isEqualTo(generated);
    }

    @Test
    void theSeedsExampleInTheS3ApiFormatReadsIntoTheModel() {
        BucketLifecycleConfiguration read = LifecycleJson.read("""
                {"Rules":[{"ID":"x","Filter":{"Prefix":"wal/"},"Status":"Enabled",
                 "Transitions":[{"Days":30,"StorageClass":"STANDARD_IA"}],"Expiration":{"Days":2555}}]}""");

        assertThat(read.rules()).singleElement().satisfies(r -> {
            assertThat(r.transitions().get(0).storageClass()).isEqualTo(TransitionStorageClass.STANDARD_IA);
            assertThat(r.expiration().days()).isEqualTo(2555);
        });
        assertThatThrownBy(() -> LifecycleJson.read("{\"Rules\":[{\"Id\":\"x\"}]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no field \"Id\"");
        assertThatThrownBy(() -> LifecycleJson.read("{\"Rules\":[{\"ID\":\"x\"}], // comment\n}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void aStepSetToZeroIsLeftOutAndNoExpiryMeansNoExpirationElement() {
        BucketLifecycleConfiguration rules = LifecycleRules.generate(new LifecycleConfig(0, 0, 180, 0), 30, WormConfig.off(), "");

        LifecycleRule wal = rules.rules().get(0);
        assertThat(wal.filter().prefix()).isEqualTo("wal/");
        assertThat(wal.transitions()).extracting(t -> t.days() + " " + t.storageClass()).containsExactly("180 DEEP_ARCHIVE");
        assertThat(wal.expiration()).isNull();
        assertThat(LifecycleRules.generate(new LifecycleConfig(0, 0, 0, 0), 30, WormConfig.off(), "a/b").rules().get(0).hasTransitions()).isFalse();
        assertThat(LifecycleRules.generate(DEFAULTS, 30, WormConfig.off(), "a/b").rules().get(0).filter().prefix()).isEqualTo("a/b/wal/");
    }

    @Test
    void invalidSchedulesAreRefusedWithTheSettingNamed() {
        assertInvalid(new LifecycleConfig(20, 90, 365, 2555), 30, "lifecycle.infrequent-access-days is 20");
        assertInvalid(new LifecycleConfig(30, 30, 365, 2555), 30, "lifecycle.glacier-days (30) must be later than lifecycle.infrequent-access-days (30)");
        assertInvalid(new LifecycleConfig(0, 400, 365, 2555), 30, "lifecycle.deep-archive-days (365) must be later than lifecycle.glacier-days (400)");
        assertInvalid(new LifecycleConfig(30, 45, 365, 2555), 30, "lifecycle.glacier-days is 45 but S3 keeps objects in Standard-IA at least 30 days");
        assertInvalid(new LifecycleConfig(30, 90, 365, 365), 30, "lifecycle.expire-days (365) must be later than the last transition (day 365)");
        assertInvalid(new LifecycleConfig(0, 0, 0, 20), 30, "lifecycle.expire-days (20) is shorter than retention.full-days (30)");
    }

    @Test
    void theBucketMayNotExpireWalBeforeWormLocksEnd() {
        WormConfig locked3000Days = new WormConfig("COMPLIANCE", 3000, WormConfig.DEFAULT_KINDS, java.util.List.of());

        assertThatThrownBy(() -> LifecycleRules.generate(DEFAULTS, 30, locked3000Days, ""))
                .isInstanceOfSatisfying(CellarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage()).contains("lifecycle.expire-days (2555) is shorter than worm.retain-days (3000)");
                    assertThat(e.hint()).contains("at least 3000");
                });
        assertThat(LifecycleRules.generate(new LifecycleConfig(30, 90, 365, 3000), 30, locked3000Days, "").rules()).hasSize(3);
        assertThat(LifecycleRules.generate(new LifecycleConfig(30, 90, 365, 0), 30, locked3000Days, "").rules()).hasSize(3);
    }

    private static void assertInvalid(LifecycleConfig config, int walKeptDays, String message) {
        assertThatThrownBy(() -> LifecycleRules.generate(config, walKeptDays, WormConfig.off(), ""))
                .isInstanceOfSatisfying(CellarException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage()).contains(message);
                    assertThat(e.hint()).isNotBlank();
                });
    }
}
