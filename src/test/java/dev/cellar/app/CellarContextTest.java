package dev.cellar.app;

import dev.cellar.config.CellarConfig;
import dev.cellar.config.ConfigLoader;
import dev.cellar.config.HostClock;
import dev.cellar.config.SecretName;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pipeline.ChunkerParameters;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.storage.MirroredStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The application layer without a terminal: a context and its services called as the daemon
 * will, on a repository with two folder copies; warnings come to the caller, never to stderr.
 */
class CellarContextTest {
    private static final String PASSPHRASE_VARIABLE = "CELLAR_TEST_CONTEXT_PASSPHRASE";
    private static final Map<String, String> ENV = Map.of(PASSPHRASE_VARIABLE, "context test passphrase");

    @TempDir
    Path folder;

    private final List<String> warnings = new CopyOnWriteArrayList<>();

    @BeforeEach
    void repositoryOnTwoFolders() {
        try (CellarContext context = CellarContext.open(config(PASSPHRASE_VARIABLE), options(false))) {
            Repository.init(context.storage(), RepositorySecret.passphrase("context test passphrase".toCharArray()), ChunkerParameters.DEFAULT,
                    context.hostClock());
        }
    }

    @Test
    void listServiceShowsAnEmptyRepositoryOnBothCopies() {
        try (CellarContext context = CellarContext.open(config(PASSPHRASE_VARIABLE), options(false))) {
            ListService.Listing listing = new ListService(context).list();

            assertThat(listing.backups()).isEmpty();
            assertThat(listing.newestWal()).isNull();
            assertThat(listing.copies()).extracting(ListService.CopyLag::name).containsExactly("first", "second");
            assertThat(listing.copies()).allMatch(ListService.CopyLag::upToDate);
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void unlockAndAuditServicesRecordAndReadTheTrail() {
        try (CellarContext context = CellarContext.open(config(PASSPHRASE_VARIABLE), options(false))) {
            UnlockService.UnlockResult unlocked = new UnlockService(context).unlock(false);

            assertThat(unlocked.removed()).isEmpty();
            assertThat(unlocked.remaining()).isEmpty();
            assertThat(new AuditService(context).read().records()).extracting(r -> r.operation()).endsWith("unlock");
        }
    }

    @Test
    void aCopyThatLacksAnAuditRecordIsListedAsBehind() throws IOException {
        try (CellarContext context = CellarContext.open(config(PASSPHRASE_VARIABLE), options(false))) {
            new UnlockService(context).unlock(false);
        }
        try (var records = Files.walk(folder.resolve("second/audit"))) {
            Path newest = records.filter(Files::isRegularFile).sorted().reduce((a, b) -> b).orElseThrow();
            Files.delete(newest);
        }

        try (CellarContext context = CellarContext.open(config(PASSPHRASE_VARIABLE), options(true))) {
            ListService.Listing listing = new ListService(context).list();

            assertThat(listing.copies()).filteredOn(c -> c.name().equals("second")).singleElement()
                    .satisfies(c -> assertThat(c.missingAuditRecords()).isEqualTo(1));
        }
    }

    @Test
    void theDaemonsPrompterFailsAtOnceNamingWhatToConfigure() {
        try (CellarContext context = CellarContext.open(config(null), options(false))) {
            assertThatThrownBy(context::openRepository)
                    .isInstanceOfSatisfying(CellarException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                    .hasMessageContaining("never prompts")
                    .hasMessageContaining(SecretName.REPOSITORY_PASSPHRASE.label());
        }
    }

    @Test
    void aClosedContextOpensNothingMore() {
        CellarContext context = CellarContext.open(config(PASSPHRASE_VARIABLE), options(false));
        context.storage();
        context.close();
        context.close(); // a second close does nothing

        assertThatThrownBy(() -> context.driverOf(context.repositoryTargets().get(0))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aCopyFallingBehindIsToldToTheCallersWarningsWithItsHint() {
        try (CellarContext context = CellarContext.open(config(PASSPHRASE_VARIABLE), options(false))) {
            context.mirrorWarnings().accept(new MirroredStorage.Warning(MirroredStorage.Warning.Kind.FELL_BEHIND, "second", "backups/b1", "copy 'second' fell behind"));
            context.mirrorWarnings().accept(new MirroredStorage.Warning(MirroredStorage.Warning.Kind.FELL_BEHIND, "second", "backups/b1", "copy 'second' fell behind"));
            context.warnPartial("expire of copy 'second' stopped", "run 'cellar expire' again");
        }
        assertThat(warnings).containsExactly("copy 'second' fell behind\nHINT: run 'cellar repo sync' to bring second up to date",
                "expire of copy 'second' stopped\nHINT: run 'cellar expire' again");
    }

    private CellarConfig config(String passphraseVariable) {
        Path yaml = folder.resolve("cellar.yaml");
        try {
            Files.writeString(yaml, (passphraseVariable == null ? "" : "repository:\n  passphrase-env: " + passphraseVariable + "\n")
                    + "repositories:\n  first:\n    path: " + folder.resolve("first") + "\n  second:\n    path: " + folder.resolve("second") + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return ConfigLoader.load(yaml, ENV, Map.of());
    }

    private ContextOptions options(boolean readOnly) {
        return new ContextOptions(readOnly, null, Duration.ZERO, false, warnings::add, new NeverPrompt(), ENV, HostClock.system());
    }
}
