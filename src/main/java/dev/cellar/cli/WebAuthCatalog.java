package dev.cellar.cli;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.server.catalog.Catalog;
import dev.cellar.web.auth.Argon2idPasswords;
import dev.cellar.web.auth.TokenStore;
import dev.cellar.web.auth.UserStore;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;

/**
 * The web users and tokens of the catalog the configuration names, opened straight from the
 * command line (the server need not run): how {@code cellar user} and {@code cellar token} rescue
 * a locked-out admin from a shell on the host.
 */
final class WebAuthCatalog implements AutoCloseable {
    private final CommandContext context;
    private final Catalog catalog;
    private final UserStore users;
    private final TokenStore tokens;

    private WebAuthCatalog(CommandContext context, Catalog catalog) {
        this.context = context;
        this.catalog = catalog;
        this.users = new UserStore(catalog.dataSource(), Clock.systemUTC(), new Argon2idPasswords());
        this.tokens = new TokenStore(catalog.dataSource(), Clock.systemUTC(), new SecureRandom(), users);
    }

    static WebAuthCatalog open(CommonOptions common) {
        CommandContext context = CommandContext.load(common, null);
        try {
            return new WebAuthCatalog(context, Catalog.open(context.config().catalog()));
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    UserStore users() {
        return users;
    }

    TokenStore tokens() {
        return tokens;
    }

    Output output() {
        return context.output();
    }

    String describe() {
        return catalog.describe();
    }

    /**
     * A new password: one line of standard input with {@code --password-stdin}, otherwise typed
     * twice at the terminal without echo.
     */
    static char[] newPassword(boolean fromStdin, String user) {
        if (fromStdin) {
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) {
                    throw new CellarException(ErrorCode.USAGE, "--password-stdin was given but standard input is empty",
                            "pipe the password in: printf '%s\\n' \"$PASSWORD\" | cellar user add ...");
                }
                return line.toCharArray();
            } catch (IOException e) {
                throw new CellarException(ErrorCode.USAGE, "cannot read the password from standard input: " + e.getMessage(),
                        "pipe the password in, or leave out --password-stdin to type it");
            }
        }
        Console console = System.console();
        if (console == null) {
            throw new CellarException(ErrorCode.USAGE, "no terminal to type the password of " + user + " at",
                    "pipe it in with --password-stdin");
        }
        char[] first = console.readPassword("New password for %s: ", user);
        char[] second = console.readPassword("The same again: ");
        if (first == null || second == null || !Arrays.equals(first, second)) {
            throw new CellarException(ErrorCode.USAGE, "the two passwords differ", "run the command again and type the same password twice");
        }
        Arrays.fill(second, '\0');
        return first;
    }

    @Override
    public void close() {
        catalog.close();
        context.close();
    }
}
