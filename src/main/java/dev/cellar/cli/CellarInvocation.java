package dev.cellar.cli;

import dev.cellar.config.CellarConfig;
import dev.cellar.config.CellarVariable;
import dev.cellar.config.RepositoryConfig;
import dev.cellar.config.RepositoryTarget;
import dev.cellar.config.SecretSource;
import dev.cellar.restore.CellarProgram;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How another process (PostgreSQL's restore_command or archive_command) runs this same Cellar
 * against this same repository: the launcher when Cellar was started through it, otherwise
 * this JVM with this jar, followed by options that locate the repository and its key without
 * relying on the caller's environment or working folder.
 */
final class CellarInvocation {
    private CellarInvocation() {
    }

    static CellarProgram of(CellarConfig config, Path configFile) {
        List<String> command = new ArrayList<>();
        if (configFile != null) {
            command.addAll(List.of("--config", configFile.toAbsolutePath().toString()));
        }
        RepositoryConfig repository = config.requireRepository();
        List<RepositoryTarget> targets = config.requireRepositories();
        if (targets.size() == 1) {
            // it may have come from this command's --repo or environment, which the other process does not see
            RepositoryTarget target = targets.get(0);
            command.addAll(List.of("--repo", target.isS3() ? target.location() : target.path().toAbsolutePath().toString()));
        }
        if (repository.keyFile() != null) {
            command.addAll(List.of("--key-file", repository.keyFile().toAbsolutePath().toString()));
        }
        return new CellarProgram(program(), command);
    }

    /** Whether the other process can unlock the repository without a prompt or this shell's variables. */
    static boolean secretTravels(CellarConfig config) {
        RepositoryConfig repository = config.requireRepository();
        return repository.keyFile() != null || repository.passphrase() instanceof SecretSource.FromFile;
    }

    private static List<String> program() {
        String launcher = System.getenv(CellarVariable.LAUNCHER.variable());
        if (launcher != null && !launcher.isBlank()) {
            return List.of(launcher);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jarPath().toString());
    }

    private static Path jarPath() {
        try {
            return Path.of(CellarInvocation.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell where the Cellar jar is", e);
        }
    }
}
