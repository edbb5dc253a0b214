package dev.cellar.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

/**
 * A class-data archive of cellar.jar for the hundreds of Cellar JVMs the integration tests start.
 *
 * <p>Without one, each of them loads and verifies its classes from the jar again (~0.25 s of a
 * command's start-up here). The launcher keeps per-command archives that each command writes at
 * its exit; test runs start many commands at once, so here one static archive of every class in
 * the jar is written once per jar, before the first command, and only read after that.
 *
 * <p>It is mapped at the address it was written for: relocating it (the JDK's default) writes to
 * every page, which made ~130 MB of each JVM private instead of shared page cache. A JVM that
 * cannot map it, or finds it does not match the jar, runs without it: the archive only ever
 * makes start-up faster, never a command's result different.
 */
final class CellarClassArchive {
    private static List<String> options;

    private CellarClassArchive() {
    }

    /** The JVM options that use the archive for {@code jar}, or none if it could not be written. */
    static synchronized List<String> jvmOptions(Path jar, String javaBinary) {
        if (options == null) {
            options = build(jar.toAbsolutePath(), javaBinary);
        }
        return options;
    }

    private static List<String> build(Path jar, String javaBinary) {
        try {
            Path archive = archiveFor(jar);
            if (!Files.isRegularFile(archive)) {
                writeOnce(jar, javaBinary, archive);
            }
            return List.of("-XX:SharedArchiveFile=" + archive, "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0",
                    "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        } catch (IOException | RuntimeException e) {
            System.err.println("CellarClassArchive: no class-data archive for the Cellar JVMs, which start slower (" + e + ")");
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** Named after the jar's size and time, so a rebuilt jar gets a new archive and never a stale one. */
    private static Path archiveFor(Path jar) throws IOException {
        return jar.resolveSibling("it-cds").resolve(
                "cellar-" + Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis() + ".jsa");
    }

    /** Failsafe may fork more than one test JVM: the first to take the lock writes, the others wait for it. */
    private static void writeOnce(Path jar, String javaBinary, Path archive) throws IOException, InterruptedException {
        Path folder = Files.createDirectories(archive.getParent());
        try (FileChannel lockFile = FileChannel.open(folder.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = lockFile.lock()) {
            if (Files.isRegularFile(archive)) {
                return;
            }
            Path classList = folder.resolve("classes.txt");
            Files.write(classList, classesToArchive(jar, javaBinary));
            Path partial = folder.resolve(archive.getFileName() + ".partial");
            Path log = folder.resolve("dump.log");
            Process dump = new ProcessBuilder(javaBinary, "-Xshare:dump", "-XX:SharedClassListFile=" + classList,
                    "-XX:SharedArchiveFile=" + partial, "-cp", jar.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!dump.waitFor(5, TimeUnit.MINUTES)) {
                dump.destroyForcibly();
                throw new IOException("writing the archive took over 5 minutes; see " + log);
            }
            if (dump.exitValue() != 0 || !Files.isRegularFile(partial)) {
                throw new IOException("java -Xshare:dump exited " + dump.exitValue() + "; see " + log);
            }
            // the server user (archive_command) reads it too
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** The JDK's own start-up classes, then every class in the jar (classes that fail to load are left out by the dump). */
    private static List<String> classesToArchive(Path jar, String javaBinary) throws IOException {
        List<String> classes = new ArrayList<>();
        Path jdkList = Path.of(javaBinary).getParent().getParent().resolve("lib").resolve("classlist");
        if (Files.isRegularFile(jdkList)) {
            for (String line : Files.readAllLines(jdkList)) {
                if (!line.isBlank() && !line.startsWith("#") && !line.startsWith("@")) {
                    classes.add(line.trim());
                }
            }
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().map(entry -> entry.getName())
                    .filter(name -> name.endsWith(".class") && !name.startsWith("META-INF/")
                            && !name.endsWith("module-info.class") && !name.endsWith("package-info.class"))
                    .map(name -> name.substring(0, name.length() - ".class".length()))
                    .forEach(classes::add);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return classes;
    }
}
