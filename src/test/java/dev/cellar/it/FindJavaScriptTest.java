package dev.cellar.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code .ci/find-java.sh}, which ./cellar sources at every start, picks a JDK 21 or newer from
 * JAVA_HOME by reading its {@code release} file with bash alone, and asks the JVM only when a
 * JDK has no such file. Fake JDKs here: a {@code release} file and two executable scripts.
 */
class FindJavaScriptTest {
    @TempDir
    Path jdks;

    @Test
    void aJavaHomeOf21OrNewerIsTakenFromItsReleaseFileEvenWithoutAFinalNewline() throws Exception {
        Path jdk = fakeJdk("jdk-25", "IMPLEMENTOR=\"Someone\"\nJAVA_VERSION=\"25.0.1\"", null);

        assertThat(javaHomeChosenWith(jdk)).isEqualTo(jdk.toString());
    }

    @Test
    void anOlderJavaHomeIsPassedOver() throws Exception {
        Path jdk17 = fakeJdk("jdk-17", "JAVA_VERSION=\"17.0.15\"\n", null);
        Path jdk8 = fakeJdk("jdk-8", "JAVA_VERSION=\"1.8.0_392\"\n", null);

        assertThat(javaHomeChosenWith(jdk17)).isNotEqualTo(jdk17.toString());
        assertThat(javaHomeChosenWith(jdk8)).isNotEqualTo(jdk8.toString());
    }

    @Test
    void aJdkWithoutReleaseFileIsAskedForItsVersion() throws Exception {
        Path jdk = fakeJdk("jdk-custom", null, "    java.specification.version = 23");

        assertThat(javaHomeChosenWith(jdk)).isEqualTo(jdk.toString());
    }

    private Path fakeJdk(String name, String release, String settingsOutput) throws IOException {
        Path home = Files.createDirectories(jdks.resolve(name));
        Path bin = Files.createDirectories(home.resolve("bin"));
        if (release != null) {
            Files.writeString(home.resolve("release"), release);
        }
        String java = "#!/bin/sh\n" + (settingsOutput == null ? "exit 1\n" : "echo '" + settingsOutput + "' >&2\n");
        for (String tool : new String[] {"java", "javac"}) {
            Files.writeString(bin.resolve(tool), java);
            Files.setPosixFilePermissions(bin.resolve(tool), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return home;
    }

    private static String javaHomeChosenWith(Path javaHome) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", ". .ci/find-java.sh && echo \"$JAVA_HOME\"").redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", javaHome.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return output;
    }
}
