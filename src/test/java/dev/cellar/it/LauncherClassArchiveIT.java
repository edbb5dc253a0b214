package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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

    /**
     * `sudo -u postgres cellar restore pitr` on a tree root installed: the command's archive goes in
     * the caller's own cache, private to it, and the next run starts from it; a HOME that is not the
     * caller's gets nothing written, and the command still runs.
     */
    @Test
    void aCallerWhoCannotWriteTheTreeKeepsTheArchiveInItsOwnCache() throws Exception {
        Path shared = installTree(TestFolders.create("cellar-tree-"));
        Path home = callersFolder("cellar-home-");
        Path expected = home.resolve(".cache").resolve("cellar")
                .resolve(shared.resolve("target").resolve("cellar.jar").toString().replaceAll("[^A-Za-z0-9._-]", "_"))
                .resolve("cellar-cellar.jsa");

        assertThat(launchAsAnother(shared, home, "--version")).contains("cellar");
        assertThat(expected).as("written at the first run's exit, in the caller's cache").isRegularFile();
        assertThat(Files.getPosixFilePermissions(expected.getParent())).as("a private folder")
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        try (Stream<Path> archives = Files.list(shared.resolve("target"))) {
            assertThat(archives.filter(p -> p.toString().endsWith(".jsa"))).as("nothing written into the tree").isEmpty();
        }
        assertThat(launchAsAnother(shared, home, "--version", "-Xlog:class+load=info")).as("the next run loads from it")
                .containsPattern("dev\\.cellar\\.cli\\.\\S+ source: shared objects file \\(top\\)");

        // a HOME that belongs to someone else (sudo without -H, su without a login): nothing written there
        Path othersHome = TestFolders.create("cellar-others-home-");
        Files.setPosixFilePermissions(othersHome, PosixFilePermissions.fromString("rwxrwxrwx"));
        if (ServerUser.name() != null) {
            assertThat(launchAsAnother(shared, othersHome, "--version")).contains("cellar");
            assertThat(othersHome.resolve(".cache")).doesNotExist();
        }
    }

    /** The launcher, find-java.sh and the jar in {@code root}, as an installation others run. */
    private static Path installTree(Path root) throws IOException {
        Files.createDirectories(root.resolve(".ci"));
        Files.createDirectories(root.resolve("target"));
        Files.copy(Path.of("cellar"), root.resolve("cellar"));
        Files.copy(Path.of(".ci", "find-java.sh"), root.resolve(".ci").resolve("find-java.sh"));
        Files.copy(CellarCli.jar(), root.resolve("target").resolve("cellar.jar"));
        for (Path folder : List.of(root, root.resolve(".ci"), root.resolve("target"))) {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return root;
    }

    /** A folder of the user the launcher runs as: the server user when the tests run as root, else the caller. */
    private static Path callersFolder(String prefix) {
        return ServerUser.newFolder(prefix);
    }

    /**
     * Runs the installed launcher as a user that cannot write its tree: the server user when the
     * tests run as root; otherwise the caller, with target/ made read-only for the run.
     */
    private static String launchAsAnother(Path shared, Path home, String argument, String... jvmOptions) throws IOException, InterruptedException {
        boolean asServerUser = ServerUser.name() != null;
        List<String> command = new java.util.ArrayList<>(ServerUser.commandPrefix());
        command.addAll(List.of("env", "HOME=" + home, "CELLAR_NO_BUILD=1", "CELLAR_JAVA_OPTS=" + String.join(" ", jvmOptions),
                shared.resolve("cellar").toString(), argument));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("XDG_CACHE_HOME");
        if (!asServerUser) {
            Files.setPosixFilePermissions(shared.resolve("target"), PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            return output;
        } finally {
            Files.setPosixFilePermissions(shared.resolve("target"), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
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
