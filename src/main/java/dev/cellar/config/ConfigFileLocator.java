package dev.cellar.config;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which {@code cellar.yaml} to read: the one given explicitly, else {@code CELLAR_CONFIG},
 * else {@code cellar.yaml} in the working folder if there is one, else none. A file that was
 * asked for by name must exist; only the implicit one may be absent.
 */
final class ConfigFileLocator {
    static final String ENV_VARIABLE = CellarVariable.CONFIG.variable();
    static final String DEFAULT_NAME = "cellar.yaml";

    private final Path workingDir;

    /** @param workingDir the folder searched for {@value #DEFAULT_NAME} */
    ConfigFileLocator(Path workingDir) {
        this.workingDir = workingDir;
    }

    Optional<Path> locate(Path explicit, Map<String, String> env) {
        if (explicit != null) {
            return Optional.of(requireFile(explicit, "given on the command line"));
        }
        String fromEnv = env.get(ENV_VARIABLE);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return Optional.of(requireFile(Path.of(fromEnv), "from " + ENV_VARIABLE));
        }
        Path implicit = workingDir.resolve(DEFAULT_NAME);
        return Files.exists(implicit) ? Optional.of(requireFile(implicit, "in the working folder")) : Optional.empty();
    }

    private static Path requireFile(Path file, String how) {
        if (!Files.exists(file)) {
            throw new CellarException(ErrorCode.CONFIG_INVALID,
                    "config file " + file.toAbsolutePath() + " (" + how + ") does not exist",
                    "check the path, or run without it to use defaults and CELLAR_* variables");
        }
        if (!Files.isRegularFile(file)) {
            throw new CellarException(ErrorCode.CONFIG_INVALID,
                    "config file " + file.toAbsolutePath() + " (" + how + ") is not a regular file",
                    "point it at a cellar.yaml file, not a folder");
        }
        return file;
    }
}
