package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ./cellar launcher's per-command class-data archive must follow the jar: the JVM ignores an
 * archive written for an older jar but does not write a new one, so without the launcher's help a
 * rebuilt or upgraded Cellar started every command without one, for good.
 */
class LauncherClassArchiveIT {

    @TempDir
    Path tree;

    @Test
    void aNewerJarGetsANewArchiveWhichTheNextRunUses() throws Exception {
        Files.createDirectories(tree.resolve(".ci"));
        Files.createDirectories(tree.resolve("target"));
        Files.copy(Path.of("cellar"), tree.resolve("cellar"));
        Files.copy(Path.of(".ci", "find-java.sh"), tree.resolve(".ci").resolve("find-java.sh"));
        Path jar = Files.copy(CellarCli.jar(), tree.resolve("target").resolve("cellar.jar"));
        Path archive = tree.resolve("target").resolve("cellar-cellar.jsa");

        assertThat(launch("--version")).contains("cellar");
        assertThat(archive).as("written at the first run's exit").isRegularFile();

        // an upgrade: the same path, a jar newer than the archive (only its time differs, which the JVM's check already refuses)
        long now = System.currentTimeMillis();
        FileTime upgraded = FileTime.fromMillis(now - 10_000);
        Files.setLastModifiedTime(archive, FileTime.fromMillis(now - 20_000));
        Files.setLastModifiedTime(jar, upgraded);
        assertThat(launch("--version")).contains("cellar");
        assertThat(Files.getLastModifiedTime(archive)).as("the stale archive was replaced at that run's exit")
                .isGreaterThan(upgraded);

        String classLoading = launch("--version", "-Xlog:class+load=info");
        assertThat(classLoading).as("the next run loads Cellar's own classes from the new archive")
                .containsPattern("dev\\.cellar\\.cli\\.\\S+ source: shared objects file \\(top\\)");
    }

    /** Runs the copied launcher; JVM options after the arguments go into CELLAR_JAVA_OPTS. */
    private String launch(String argument, String... jvmOptions) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(tree.resolve("cellar").toString(), argument).redirectErrorStream(true);
        builder.environment().put("CELLAR_NO_BUILD", "1");
        builder.environment().put("CELLAR_JAVA_OPTS", String.join(" ", jvmOptions));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
