package dev.cellar.app;

import dev.cellar.config.ConfigKey;
import dev.cellar.config.RecoverConfig;
import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pg.PgConnectionSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** The staging server of the verify.staging.host settings: its connection, and a check that names it when it cannot be reached. */
final class StagingServer {
    private StagingServer() {
    }

    static PgConnectionSpec connection(RecoverConfig.Staging staging) {
        return new PgConnectionSpec(staging.host(), staging.port(), staging.user(), staging.database(), password(staging));
    }

    /** Fails with DATABASE_UNREACHABLE naming the staging server, before the repository is read for a restore. */
    static void requireReachable(RecoverConfig.Staging staging, PgConnectionSpec server) {
        try (Connection ignored = server.connect()) {
            // reached
        } catch (SQLException | CellarException e) {
            throw new CellarException(ErrorCode.DATABASE_UNREACHABLE, "the " + staging.describe() + " (" + ConfigKey.VERIFY_STAGING_HOST.dotted()
                    + ") cannot be reached as user " + staging.user() + ": " + e.getMessage(),
                    "start the staging server or correct verify.staging.host/port/user/password-file; nothing was restored", e);
        }
    }

    private static char[] password(RecoverConfig.Staging staging) {
        if (staging.passwordFile() == null) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(staging.passwordFile(), StandardCharsets.UTF_8);
            return lines.isEmpty() ? new char[0] : lines.get(0).toCharArray();
        } catch (IOException e) {
            throw new CellarException(ErrorCode.CONFIG_INVALID, "cannot read " + ConfigKey.VERIFY_STAGING_PASSWORD_FILE.dotted() + " "
                    + staging.passwordFile() + ": " + e.getMessage(), "check the path and that this user may read it");
        }
    }
}
