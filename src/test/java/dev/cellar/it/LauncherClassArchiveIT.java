package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ./cellar launcher's per-command start-up cache (JDK 25's AOT cache, the class-data archive
 * on older JDKs) must follow the jar: the JVM ignores a cache written for an older jar but does not
 * write a new one, so without the launcher's help a rebuilt or upgraded Cellar started every
 * command without one, for good. On JDK 25 the first run records and a detached process assembles
 * the cache after it: the tests wait for it.
 */
class LauncherClassArchiveIT {
    /** What the launcher writes with the JDK these tests run on (the launcher finds the same one through JAVA_HOME). */
    private static final String EXTENSION = Runtime.version().feature() >= 25 ? ".aot" : ".jsa";

    @TempDir
    Path tree;

    @Test
    void aNewerJarGetsANewCacheWhichTheNextRunUses() throws Exception {
        Files.createDirectories(tree.resolve(".ci"));
        Files.createDirectories(tree.resolve("target"));
        Files.copy(Path.of("cellar"), tree.resolve("cellar"));
        Files.copy(Path.of(".ci", "find-java.sh"), tree.resolve(".ci").resolve("find-java.sh"));
        Path jar = Files.copy(CellarCli.jar(), tree.resolve("target").resolve("cellar.jar"));
        Path cache = tree.resolve("target").resolve("cellar-cellar" + EXTENSION);

        assertThat(launch("--version")).as("the first run prints what it prints, nothing of the recording").isEqualTo("cellar 0.1.0\n");
        awaitWritten(cache, FileTime.fromMillis(0));

        // an upgrade: the same path, a jar newer than the cache (only its time differs, which the JVM's check already refuses)
        long now = System.currentTimeMillis();
        FileTime upgraded = FileTime.fromMillis(now - 10_000);
        Files.setLastModifiedTime(cache, FileTime.fromMillis(now - 20_000));
        Files.setLastModifiedTime(jar, upgraded);
        assertThat(launch("--version")).isEqualTo("cellar 0.1.0\n");
        awaitWritten(cache, upgraded);

        String classLoading = launch("--version", "-Xlog:class+load=info");
        assertThat(classLoading).as("the next run loads Cellar's own classes from the new cache")
                .containsPattern("dev\\.cellar\\.cli\\.\\S+ source: shared objects file");
        try (Stream<Path> left = Files.list(tree.resolve("target"))) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no recording left behind").noneMatch(n -> n.contains("aotconf"));
        }
    }

    /**
     * A damaged cache of the right name (a disk error, an assembly cut short) is ignored: the command
     * runs and says nothing of it.
     */
    @Test
    void aDamagedCacheIsIgnored() throws Exception {
        installTree(tree);
        Path cache = tree.resolve("target").resolve("cellar-cellar" + EXTENSION);
        assertThat(launch("--version")).isEqualTo("cellar 0.1.0\n");
        awaitWritten(cache, FileTime.fromMillis(0));
        byte[] bytes = Files.readAllBytes(cache);
        for (int at = 8192; at < bytes.length; at += 4099) {
            bytes[at] ^= 0x5a;
        }
        Files.write(cache, bytes);

        assertThat(launch("--version")).isEqualTo("cellar 0.1.0\n");
    }

    /**
     * `sudo -u postgres cellar restore pitr` on a tree root installed: the command's cache goes in
     * the caller's own cache folder, private to it, and the next run starts from it; a HOME that is
     * not the caller's gets nothing written, and the command still runs.
     */
    @Test
    void aCallerWhoCannotWriteTheTreeKeepsTheCacheInItsOwnFolder() throws Exception {
        Path shared = installTree(TestFolders.create("cellar-tree-"));
        Path home = ServerUser.newFolder("cellar-home-");
        Path expected = home.resolve(".cache").resolve("cellar")
                .resolve(shared.resolve("target").resolve("cellar.jar").toString().replaceAll("[^A-Za-z0-9._-]", "_"))
                .resolve("cellar-cellar" + EXTENSION);

        assertThat(launchAsAnother(shared, home, "--version")).isEqualTo("cellar 0.1.0\n");
        awaitWritten(expected, FileTime.fromMillis(0));
        assertThat(Files.getPosixFilePermissions(expected.getParent())).as("a private folder")
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        try (Stream<Path> written = Files.list(shared.resolve("target"))) {
            assertThat(written.filter(p -> !p.getFileName().toString().equals("cellar.jar"))).as("nothing written into the tree").isEmpty();
        }
        assertThat(launchAsAnother(shared, home, "--version", "-Xlog:class+load=info")).as("the next run loads from it")
                .containsPattern("dev\\.cellar\\.cli\\.\\S+ source: shared objects file");

        // a HOME that belongs to someone else (sudo without -H, su without a login): nothing written there
        Path othersHome = TestFolders.create("cellar-others-home-");
        Files.setPosixFilePermissions(othersHome, PosixFilePermissions.fromString("rwxrwxrwx"));
        if (ServerUser.name() != null) {
            assertThat(launchAsAnother(shared, othersHome, "--version")).isEqualTo("cellar 0.1.0\n");
            Thread.sleep(3_000);
            assertThat(othersHome.resolve(".cache")).doesNotExist();
        }
    }

    /** Waits for the cache to be there, whole, newer than {@code after}: on JDK 25 it is assembled after the run exits. */
    private static void awaitWritten(Path cache, FileTime after) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (Files.isRegularFile(cache) && Files.size(cache) > 0 && Files.getLastModifiedTime(cache).compareTo(after) > 0) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(cache).as("written, after the first run, newer than " + after).isRegularFile().isNotEmptyFile();
        assertThat(Files.getLastModifiedTime(cache)).as("replaced after " + after).isGreaterThan(after);
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
            return run(builder);
        } finally {
            Files.setPosixFilePermissions(shared.resolve("target"), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** Runs the copied launcher; JVM options after the arguments go into CELLAR_JAVA_OPTS. */
    private String launch(String argument, String... jvmOptions) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(tree.resolve("cellar").toString(), argument).redirectErrorStream(true);
        builder.environment().put("CELLAR_NO_BUILD", "1");
        builder.environment().put("CELLAR_JAVA_OPTS", String.join(" ", jvmOptions));
        return run(builder);
    }

    private static String run(ProcessBuilder builder) throws IOException, InterruptedException {
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
