package dev.cellar.cli;

import dev.cellar.web.auth.Role;
import dev.cellar.web.auth.UserSummary;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "user", description = {"Manage the users of the dashboard and the REST API, straight in the catalog (docs/web-security.md).",
        "The server need not run: this is how the first admin is made and a locked-out admin rescued."},
        subcommands = {UserCommand.Add.class, UserCommand.ListUsers.class, UserCommand.Passwd.class, UserCommand.SetRole.class,
                UserCommand.Unlock.class, UserCommand.ResetSecondFactor.class, UserCommand.Remove.class},
        footer = {"", "Examples:", "  cellar user add alice --role admin", "  cellar user unlock alice",
                "  cellar user reset-second-factor alice   # a lost phone: alice enrols again at her next login"})
final class UserCommand implements Runnable {
    @Mixin
    HelpOption help;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** What a change did, as --json prints it. */
    record Change(String user, String action, UserSummary now) {
    }

    @Command(name = "add", description = "Add a user who logs in with a password (at least 12 characters, not the user name).",
            footer = {"", "Examples:", "  cellar user add alice --role admin",
                    "  printf '%%s\\n' \"$PW\" | cellar user add backup-bot --role operator --password-stdin"})
    static final class Add implements Callable<Integer> {
        @Mixin
        HelpOption help;
        @Mixin
        CommonOptions common;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "admin, dba, operator or auditor.")
        String role;
        @Option(names = "--password-stdin", description = "Read the password from one line of standard input instead of the terminal.")
        boolean passwordStdin;

        @Override
        public Integer call() {
            Role parsed = UserCommand.role(role);
            try (WebAuthCatalog web = WebAuthCatalog.open(common)) {
                char[] password = WebAuthCatalog.newPassword(passwordStdin, name);
                UserSummary added = web.users().add(name, parsed, password);
                Arrays.fill(password, '\0');
                web.output().result(new Change(name, "added", added), "added " + name + " (" + added.role() + ") to " + web.describe()
                        + (parsed.changesState() ? "\n" + name + " enrols a second factor (TOTP) at the first login" : ""));
                return 0;
            }
        }
    }

    @Command(name = "list", description = "List the users: role, second factor, lock-out.",
            footer = {"", "Examples:", "  cellar user list", "  cellar user list --json"})
    static final class ListUsers implements Callable<Integer> {
        @Mixin
        HelpOption help;
        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            try (WebAuthCatalog web = WebAuthCatalog.open(common)) {
                List<UserSummary> users = web.users().list();
                StringBuilder text = new StringBuilder(String.format("%-24s %-9s %-14s %s%n", "USER", "ROLE", "SECOND FACTOR", "STATE"));
                for (UserSummary u : users) {
                    String state = u.disabled() ? "disabled" : u.lockedUntil() != null ? "locked until " + u.lockedUntil()
                            : u.failedAttempts() > 0 ? u.failedAttempts() + " failed attempts" : "ok";
                    text.append(String.format("%-24s %-9s %-14s %s%n", u.user(), u.role(), u.secondFactorEnrolled() ? "enrolled" : "none", state));
                }
                if (users.isEmpty()) {
                    text.append("(no users yet: cellar user add NAME --role admin)\n");
                }
                web.output().result(Map.of("users", users), text.toString());
                return 0;
            }
        }
    }

    @Command(name = "passwd", description = "Set a user's password.",
            footer = {"", "Examples:", "  cellar user passwd alice"})
    static final class Passwd implements Callable<Integer> {
        @Mixin
        HelpOption help;
        @Mixin
        CommonOptions common;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--password-stdin", description = "Read the password from one line of standard input.")
        boolean passwordStdin;

        @Override
        public Integer call() {
            try (WebAuthCatalog web = WebAuthCatalog.open(common)) {
                web.users().require(name);
                char[] password = WebAuthCatalog.newPassword(passwordStdin, name);
                web.users().setPassword(name, password);
                Arrays.fill(password, '\0');
                web.output().result(new Change(name, "password set", web.users().require(name).summary(java.time.Instant.now())),
                        "set the password of " + name);
                return 0;
            }
        }
    }

    @Command(name = "set-role", description = "Change a user's role; their sessions take it at once, tokens above it are revoked.",
            footer = {"", "Examples:", "  cellar user set-role bob auditor"})
    static final class SetRole implements Callable<Integer> {
        @Mixin
        HelpOption help;
        @Mixin
        CommonOptions common;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "ROLE", description = "admin, dba, operator or auditor.")
        String role;

        @Override
        public Integer call() {
            Role parsed = UserCommand.role(role);
            try (WebAuthCatalog web = WebAuthCatalog.open(common)) {
                UserSummary now = web.users().setRole(name, parsed);
                web.output().result(new Change(name, "role set", now), name + " is now " + now.role());
                return 0;
            }
        }
    }

    @Command(name = "unlock", description = "Lift a lock-out after too many failed logins, and forget the failures.",
            footer = {"", "Examples:", "  cellar user unlock alice"})
    static final class Unlock implements Callable<Integer> {
        @Mixin
        HelpOption help;
        @Mixin
        CommonOptions common;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (WebAuthCatalog web = WebAuthCatalog.open(common)) {
                UserSummary now = web.users().unlock(name);
                web.output().result(new Change(name, "unlocked", now), "unlocked " + name);
                return 0;
            }
        }
    }

    @Command(name = "reset-second-factor", description = {"Forget a user's TOTP secret and recovery codes (a lost phone) and end their sessions.",
            "A user whose role changes anything must enrol again at the next login."},
            footer = {"", "Examples:", "  cellar user reset-second-factor alice"})
    static final class ResetSecondFactor implements Callable<Integer> {
        @Mixin
        HelpOption help;
        @Mixin
        CommonOptions common;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (WebAuthCatalog web = WebAuthCatalog.open(common)) {
                UserSummary now = web.users().resetSecondFactor(name);
                web.output().result(new Change(name, "second factor reset", now),
                        "reset the second factor of " + name + "; they enrol a new one at the next login");
                return 0;
            }
        }
    }

    @Command(name = "remove", description = "Remove a user with their tokens and sessions.",
            footer = {"", "Examples:", "  cellar user remove bob"})
    static final class Remove implements Callable<Integer> {
        @Mixin
        HelpOption help;
        @Mixin
        CommonOptions common;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (WebAuthCatalog web = WebAuthCatalog.open(common)) {
                web.users().remove(name);
                web.output().result(new Change(name, "removed", null), "removed " + name);
                return 0;
            }
        }
    }

    static Role role(String text) {
        try {
            return Role.of(text);
        } catch (IllegalArgumentException e) {
            throw new dev.cellar.error.CellarException(dev.cellar.error.ErrorCode.USAGE, e.getMessage(),
                    "docs/web-security.md lists what each role may do");
        }
    }
}
