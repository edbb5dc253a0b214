package dev.cellar.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.server.schedule.JobPlan;
import dev.cellar.server.schedule.ScheduledJob;
import dev.cellar.server.schedule.StandardJobKinds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** schedule.archive and schedule.retention: off unless set, per database like the other schedule keys, and the job it plans. */
class RetentionScheduleTest {
    @TempDir
    Path dir;

    private CellarConfig load(String content) throws IOException {
        return ConfigLoader.load(Files.writeString(dir.resolve("cellar.yaml"), content), Map.of(), Map.of());
    }

    @Test
    void retentionIsOffUnlessConfigured() throws IOException {
        CellarConfig config = load("database:\n  name: restaurant_ordering\n");
        assertThat(config.lifecycleSchedules().retentionOf("restaurant_ordering").orElseThrow().expression()).isEqualTo("off");
        assertThat(config.lifecycleSchedules().archiveOf("restaurant_ordering").orElseThrow().expression()).isEqualTo("off");
        assertThat(JobPlan.of(config).jobs()).extracting(ScheduledJob::key).doesNotContain("retention:restaurant_ordering", "archive:restaurant_ordering");
    }

    @Test
    void aMonthlyRetentionRunsRetentionApplyOnTheDatabase() throws IOException {
        CellarConfig config = load("database:\n  name: restaurant_ordering\nschedule:\n  retention: monthly 1 05:00\n");
        ScheduledJob job = JobPlan.of(config).jobs().stream().filter(j -> j.kind().equals("retention")).findFirst().orElseThrow();
        assertThat(job.key()).isEqualTo("retention:restaurant_ordering");
        assertThat(job.schedule().expression()).isEqualTo("monthly 1 05:00");
        assertThat(StandardJobKinds.RETENTION.commands(job, config)).singleElement()
                .satisfies(command -> assertThat(command.arguments()).containsExactly("retention", "apply", "-d", "restaurant_ordering"));
    }

    @Test
    void aMonthlyArchiveArchivesTheMonthThatEnded() throws IOException {
        CellarConfig config = load("database:\n  name: restaurant_ordering\nschedule:\n  archive: monthly 1 04:00\n  retention: monthly 1 05:00\n");
        ScheduledJob job = JobPlan.of(config).jobs().stream().filter(j -> j.kind().equals("archive")).findFirst().orElseThrow();
        assertThat(job.schedule().expression()).isEqualTo("monthly 1 04:00");
        assertThat(StandardJobKinds.ARCHIVE.commands(job, config)).singleElement().satisfies(command -> assertThat(command.arguments())
                .containsExactly("archive", "create", "--month", "previous", "-d", "restaurant_ordering"));
    }

    @Test
    void aDatabaseEntryMayHaveItsOwnRetention() throws IOException {
        CellarConfig config = load("""
                databases:
                  shop:
                    name: shop
                    retention: monthly 1 06:00
                  books:
                    name: books
                """);
        assertThat(JobPlan.of(config).jobs()).filteredOn(j -> j.kind().equals("retention")).extracting(ScheduledJob::key)
                .containsExactly("retention:shop");
    }

    @Test
    void aWrongRetentionScheduleNamesTheKey() {
        assertThatThrownBy(() -> load("schedule:\n  retention: fortnightly\n")).hasMessageContaining("schedule.retention");
    }
}
