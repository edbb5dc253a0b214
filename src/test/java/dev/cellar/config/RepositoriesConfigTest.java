package dev.cellar.config;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The repository locations (folders, buckets, named copies) and the s3:, worm: and lifecycle: sections. */
class RepositoriesConfigTest {
    @TempDir
    Path dir;

    private Path yaml(String content) throws IOException {
        return Files.writeString(dir.resolve("cellar.yaml"), content);
    }

    private CellarConfig load(String content) throws IOException {
        return ConfigLoader.load(yaml(content), Map.of(), Map.of());
    }

    private CellarException failure(String content) {
        return (CellarException) assertThatThrownBy(() -> load(content))
                .isInstanceOf(CellarException.class)
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .actual();
    }

    @Test
    void aFolderIsOneRepositoryCalledMain() throws IOException {
        CellarConfig config = load("repository:\n  path: /var/lib/cellar/repo\n");

        assertThat(config.requireRepositories()).containsExactly(
                new RepositoryTarget("main", Path.of("/var/lib/cellar/repo"), null, new RetentionConfig(30, 7)));
        assertThat(config.requireRepository().path()).isEqualTo(Path.of("/var/lib/cellar/repo"));
    }

    @Test
    void anS3LocationTakesTheS3SectionAndSensibleDefaults() throws IOException {
        CellarConfig config = load("""
                repository:
                  path: s3://restaurant-backups/prod/db1
                s3:
                  endpoint: http://127.0.0.1:9000
                  checksum-mode: when-required
                  wal-storage-class: standard-ia
                  access-key-id-env: MINIO_KEY
                  secret-access-key-env: MINIO_SECRET
                """);

        RepositoryTarget target = config.requireRepositories().get(0);
        assertThat(target.isS3()).isTrue();
        S3Config s3 = target.s3();
        assertThat(s3.bucket()).isEqualTo("restaurant-backups");
        assertThat(s3.prefix()).isEqualTo("prod/db1/");
        assertThat(s3.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(s3.pathStyle()).as("a custom endpoint defaults to path-style").isTrue();
        assertThat(s3.checksumMode()).isEqualTo(S3Config.ChecksumMode.WHEN_REQUIRED);
        assertThat(s3.storageClass()).isEqualTo("STANDARD");
        assertThat(s3.walStorageClass()).isEqualTo("STANDARD_IA");
        assertThat(s3.region()).isEqualTo("us-east-1");
        assertThat(s3.maxAttempts()).isEqualTo(S3Config.DEFAULT_MAX_ATTEMPTS);
        assertThat(target.location()).isEqualTo("s3://restaurant-backups/prod/db1/");
        assertThat(config.repository().path()).as("no folder").isNull();
    }

    @Test
    void awsItselfNeedsNoEndpointAndUsesVirtualHosts() throws IOException {
        S3Config s3 = load("repository:\n  path: s3://my-bucket\n").requireRepositories().get(0).s3();

        assertThat(s3.endpoint()).isNull();
        assertThat(s3.pathStyle()).isFalse();
        assertThat(s3.prefix()).isEmpty();
        assertThat(s3.checksumMode()).isEqualTo(S3Config.ChecksumMode.WHEN_SUPPORTED);
    }

    @Test
    void theAwsToolsVariablesFillInRegionAndEndpointThatTheFileLeavesOut() throws IOException {
        Path file = yaml("repository:\n  path: s3://my-bucket/db1\n");
        S3Config fromVariables = ConfigLoader.load(file, Map.of("AWS_REGION", "eu-north-1",
                "AWS_ENDPOINT_URL", "http://10.0.0.5:9000", "AWS_ENDPOINT_URL_S3", "https://s3.internal:9000"), Map.of())
                .requireRepositories().get(0).s3();
        assertThat(fromVariables.region()).isEqualTo("eu-north-1");
        assertThat(fromVariables.endpoint()).as("the S3-specific variable wins").isEqualTo(URI.create("https://s3.internal:9000"));
        assertThat(fromVariables.pathStyle()).isTrue();

        Path explicit = yaml("repository:\n  path: s3://my-bucket/db1\ns3:\n  region: us-west-2\n  endpoint: http://127.0.0.1:9000\n");
        S3Config fromFile = ConfigLoader.load(explicit, Map.of("AWS_DEFAULT_REGION", "eu-north-1",
                "AWS_ENDPOINT_URL", "http://10.0.0.5:9000"), Map.of()).requireRepositories().get(0).s3();
        assertThat(fromFile.region()).isEqualTo("us-west-2");
        assertThat(fromFile.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
    }

    @Test
    void namedCopiesKeepFileOrderAndTheirOwnRetentionAndS3Settings() throws IOException {
        CellarConfig config = load("""
                retention:
                  full-days: 14
                s3:
                  region: eu-west-1
                repositories:
                  local:
                    path: /var/lib/cellar/repo
                  cloud:
                    path: s3://offsite/cellar/
                    endpoint: https://s3.example.net
                    retention-full-days: 2555
                    wal-storage-class: glacier-ir
                """);

        List<RepositoryTarget> targets = config.requireRepositories();
        assertThat(targets).extracting(RepositoryTarget::name).containsExactly("local", "cloud");
        assertThat(targets.get(0).retention()).isEqualTo(new RetentionConfig(14, 7));
        assertThat(targets.get(1).retention()).isEqualTo(new RetentionConfig(2555, 7));
        assertThat(targets.get(1).s3().region()).as("inherited from s3:").isEqualTo("eu-west-1");
        assertThat(targets.get(1).s3().walStorageClass()).isEqualTo("GLACIER_IR");
        assertThat(config.repositoryNamed("cloud")).isEqualTo(targets.get(1));
    }

    @Test
    void aLocationForOneCommandStandsForAllConfiguredCopies() throws IOException {
        Path file = yaml("repositories:\n  local:\n    path: /a\n  cloud:\n    path: /b\n");

        CellarConfig config = ConfigLoader.load(file, Map.of(), Map.of("repository.path", "/elsewhere"));

        assertThat(config.requireRepositories()).extracting(RepositoryTarget::path).containsExactly(Path.of("/elsewhere"));
    }

    @Test
    void mistakesAreNamedWithTheirLine() {
        assertThat(failure("repository:\n  path: /a\nrepositories:\n  b:\n    path: /b\n").getMessage())
                .contains("either repository.path").contains("line 2");
        assertThat(failure("repositories:\n  cloud:\n    bucket: x\n").getMessage())
                .contains("repositories.cloud.bucket").contains("line 3");
        assertThat(failure("repositories:\n  cloud:\n    region: eu-west-1\n").getMessage())
                .contains("repositories.cloud has no path");
        assertThat(failure("repositories:\n  Cloud:\n    path: /b\n").getMessage()).contains("lowercase");
        assertThat(failure("repository:\n  path: s3://Bad_Bucket/x\n").getMessage()).contains("not a valid bucket name");
        assertThat(failure("repository:\n  path: s3://b1b/x\ns3:\n  endpoint: localhost:9000\n").getMessage())
                .contains("s3.endpoint").contains("http(s)://");
        assertThat(failure("repository:\n  path: s3://b1b/x\ns3:\n  checksum-mode: sometimes\n").getMessage())
                .contains("when-supported, when-required");
        assertThat(failure("repository:\n  path: s3://b1b/x\ns3:\n  storage-class: deep-archive\n").getMessage())
                .contains("must not be an archive class");
        assertThat(failure("repository:\n  path: s3://b1b/x\ns3:\n  access-key-id-env: K\n").getMessage())
                .contains("s3.secret-access-key-env").contains("together");
        assertThat(failure("repository:\n  path: s3://b1b/x\ns3:\n  path-style: maybe\n").getMessage())
                .contains("true or false");
    }

    @Test
    void wormAndLifecycleReadListsAndDefaults() throws IOException {
        CellarConfig config = load("""
                worm:
                  mode: compliance
                  kinds: [logical]
                  databases: restaurant_ordering, payments
                lifecycle:
                  glacier-days: 120
                """);

        assertThat(config.worm()).isEqualTo(new WormConfig("COMPLIANCE", 2555, List.of("logical"),
                List.of("restaurant_ordering", "payments")));
        assertThat(config.lifecycle()).isEqualTo(new LifecycleConfig(30, 120, 365, 2555));
        assertThat(load("").worm().enabled()).isFalse();
        assertThat(failure("worm:\n  kinds: [monthly]\n").getMessage()).contains("logical and physical");
        assertThat(failure("worm:\n  mode: forever\n").getMessage()).contains("off, governance, compliance");
    }
}
