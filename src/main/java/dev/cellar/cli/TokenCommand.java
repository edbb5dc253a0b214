package dev.cellar.cli;

import dev.cellar.web.auth.ApiToken;
import dev.cellar.web.auth.IssuedToken;
import dev.cellar.web.auth.Role;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "token", description = {"Manage API tokens for scripts and monitoring, straight in the catalog (docs/web-security.md).",
        "A token is shown once, kept only as its SHA-256, has a role no higher than its user's, and expires.",
        "Tokens never count as a second factor: destructive API routes refuse them."},
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class},
        footer = {"", "Examples:", "  cellar token create --user alice --role operator --expires-days 90 --name nightly-check",
                "  cellar token list", "  cellar token revoke tok_1a2b3c4d5e6f"})
final class TokenCommand implements Runnable {
    @Mixin
    HelpOption help;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "create", description = "Create a token and print it (this is the only time it is shown).",
            footer = {"", "Examples:", "  cellar token create --user alice --role auditor --expires-days 30",
                    "  curl -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:9188/api/status"})
    static final class Create implements Callable<Integer> {
        @Mixin
        HelpOption help;
        @Mixin
        CommonOptions common;
        @Option(names = "--user", required = true, paramLabel = "USER", description = "The user the token acts for.")
        String user;
        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "admin, dba, operator or auditor; at most the user's.")
        String role;
        @Option(names = "--expires-days", required = true, paramLabel = "DAYS", description = "Days until it stops working, 1..3650.")
        int days;
        @Option(names = "--name", paramLabel = "NAME", description = "What it is for, shown in lists.")
        String name;

        @Override
        public Integer call() {
            Role parsed = UserCommand.role(role);
            try (WebAuthCatalog web = WebAuthCatalog.open(common)) {
                IssuedToken token = web.tokens().create(user, name, parsed, days);
                web.output().result(token, "created " + token.id() + " for " + user + " (" + token.role() + "), expires " + token.expires()
                        + "\n" + token.token() + "\nthis is the only time the token is shown: store it now");
                return 0;
            }
        }
    }

    @Command(name = "list", description = "List the tokens (never the tokens themselves).",
            footer = {"", "Examples:", "  cellar token list", "  cellar token list --user alice --json"})
    static final class ListTokens implements Callable<Integer> {
        @Mixin
        HelpOption help;
        @Mixin
        CommonOptions common;
        @Option(names = "--user", paramLabel = "USER", description = "Only this user's tokens.")
        String user;

        @Override
        public Integer call() {
            try (WebAuthCatalog web = WebAuthCatalog.open(common)) {
                List<ApiToken> tokens = web.tokens().list(user);
                Instant now = Instant.now();
                StringBuilder text = new StringBuilder(String.format("%-17s %-16s %-9s %-20s %-22s %s%n", "ID", "USER", "ROLE", "NAME",
                        "EXPIRES", "STATE"));
                for (ApiToken t : tokens) {
                    String state = t.revoked() != null ? "revoked" : !t.usableAt(now) ? "expired"
                            : t.lastUsed() == null ? "never used" : "last used " + t.lastUsed();
                    text.append(String.format("%-17s %-16s %-9s %-20s %-22s %s%n", t.id(), t.user(), t.role(), t.name(), t.expires(), state));
                }
                web.output().result(Map.of("tokens", tokens), text.toString());
                return 0;
            }
        }
    }

    @Command(name = "revoke", description = "Revoke a token now.", footer = {"", "Examples:", "  cellar token revoke tok_1a2b3c4d5e6f"})
    static final class Revoke implements Callable<Integer> {
        @Mixin
        HelpOption help;
        @Mixin
        CommonOptions common;
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            try (WebAuthCatalog web = WebAuthCatalog.open(common)) {
                ApiToken token = web.tokens().revoke(id);
                web.output().result(token, "revoked " + id + " (" + token.name() + " of " + token.user() + ")");
                return 0;
            }
        }
    }
}
