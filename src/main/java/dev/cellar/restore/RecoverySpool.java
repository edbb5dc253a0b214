package dev.cellar.restore;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.wal.WalFileName;
import dev.cellar.wal.agent.AgentClient;
import dev.cellar.wal.agent.AgentLauncher;
import dev.cellar.wal.agent.AgentReply;
import dev.cellar.wal.agent.AgentRequest;
import dev.cellar.wal.agent.RecoveryLease;
import dev.cellar.wal.agent.WalAgent;
import dev.cellar.wal.agent.WalSpool;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The spool folder of one {@code restore pitr --start} and the WAL agent that fetches WAL ahead
 * of PostgreSQL into it. The folder holds decrypted WAL, so it lives exactly as long as the
 * restore: its {@link RecoveryLease} names this process, the agent deletes it when this process
 * is gone however it died, and {@link #close()} (at the end of the restore, or from the
 * shutdown hook of an interrupted one) stops the agent and deletes it at once.
 */
final class RecoverySpool implements AutoCloseable {
    static final String PREFIX = "restore-";
    private static final Duration AGENT_REPLY_WAIT = Duration.ofSeconds(10);
    private static final Duration AGENT_EXIT_WAIT = Duration.ofSeconds(20);

    private final WalSpool spool;
    private Process launched;
    private boolean closed;
    private int prefetched;

    private RecoverySpool(WalSpool spool) {
        this.spool = spool;
    }

    /** A fresh, unused spool path for a restore of {@code backupId} under {@code spoolRoot}. */
    static Path newPath(Path spoolRoot, String backupId) {
        return spoolRoot.resolve(PREFIX + backupId + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
    }

    /**
     * Creates the folder with a lease held by this process, owned by {@code owner} (PostgreSQL's
     * user, when running as root) or by this process's user.
     */
    static RecoverySpool open(Path path, Path dataDir, UserPrincipal owner) {
        WalSpool spool = new WalSpool(path).create();
        try {
            RecoveryLease.ownedByThisProcess(dataDir).writeTo(spool.root());
            if (owner != null) {
                for (Path p : List.of(spool.root(), spool.pushedDir(), spool.fetchedDir(), spool.root().resolve(RecoveryLease.FILE))) {
                    Files.setOwner(p, owner);
                }
            }
            return new RecoverySpool(spool);
        } catch (IOException e) {
            spool.delete();
            throw new CellarException(ErrorCode.INTERNAL, "cannot prepare the restore's WAL spool folder " + path + ": " + e.getMessage(),
                    "set wal.spool-path to a folder the database's OS user can write");
        }
    }

    Path path() {
        return spool.root();
    }

    /**
     * Starts the spool's agent in the background, as {@code osUser} when given, fetching ahead
     * from the segment after {@code prefetchAfter}. A failure to start only costs speed: every
     * file is still found by restore_command's own {@code wal get}.
     */
    synchronized void startAgent(CellarProgram cellar, Path dataDir, WalFileName prefetchAfter, String osUser) {
        if (closed) {
            return;
        }
        List<String> command = new ArrayList<>(cellar.command("wal", "agent"));
        command.addAll(List.of("--spool", spool.root().toString(), "--recovery-of", dataDir.toString()));
        if (prefetchAfter != null) {
            command.addAll(List.of("--prefetch-after", prefetchAfter.name()));
        }
        launched = AgentLauncher.startDetached(spool, command, osUser).orElse(null);
    }

    /** WAL files the agent fetched ahead (known once it has been stopped). */
    synchronized int prefetched() {
        return prefetched;
    }

    /**
     * Stops the agent (asked on its socket, then by signal), waits until it and the process that
     * launched it have exited, and deletes the folder. Idempotent; called from the shutdown hook
     * of an interrupted restore too.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long pid = WalAgent.runningPid(spool);
        Optional<AgentReply> reply = pid > 0 ? new AgentClient(spool, AGENT_REPLY_WAIT).ask(new AgentRequest.Stop()) : Optional.empty();
        reply.filter(r -> r.status() == AgentReply.Status.OK).ifPresent(r -> prefetched = parseCount(r.detail()));
        if (pid > 0) {
            ProcessHandle.of(pid).ifPresent(agent -> awaitExit(agent, reply.isPresent()));
        }
        if (launched != null) {
            // the launcher (setsid, runuser) and an agent still starting, which never took the spool's lock: it is told to stop
            boolean stopping = reply.isPresent() && ProcessHandle.of(pid).isEmpty();
            launched.toHandle().descendants().forEach(p -> awaitExit(p, false));
            awaitExit(launched.toHandle(), stopping || !launched.isAlive());
        }
        spool.delete();
    }

    /** Waits for a process to exit; signals it (SIGTERM, then SIGKILL) when it does not. */
    private static void awaitExit(ProcessHandle process, boolean askedAlready) {
        if (!askedAlready) {
            process.destroy();
        }
        if (waitFor(process, AGENT_EXIT_WAIT)) {
            return;
        }
        process.destroy();
        if (!waitFor(process, Duration.ofSeconds(5))) {
            process.destroyForcibly();
            waitFor(process, Duration.ofSeconds(5));
        }
    }

    private static boolean waitFor(ProcessHandle process, Duration wait) {
        try {
            process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static int parseCount(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Deletes what earlier restores left under {@code spoolRoot} because no one was there to
     * clean up (an agent killed with SIGKILL, a host that lost power): spool folders whose lease
     * has run out and that no agent holds, and half-deleted ones. Returns how many went.
     */
    static int sweepAbandoned(Path spoolRoot) {
        int swept = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(spoolRoot)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith("." + PREFIX) && name.contains(".deleting-") && !pidAlive(name.substring(name.lastIndexOf('-') + 1))) {
                    swept += WalSpool.deleteTree(entry) ? 1 : 0;
                } else if (name.startsWith(PREFIX) && Files.isDirectory(entry)) {
                    WalSpool spool = new WalSpool(entry);
                    Optional<RecoveryLease> lease = RecoveryLease.readFrom(entry);
                    if (lease.isPresent() && lease.get().endReason() != null && !WalAgent.isRunning(spool)) {
                        swept += spool.delete() ? 1 : 0;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // sweeping is a courtesy to earlier restores; this one does not depend on it
        }
        return swept;
    }

    private static boolean pidAlive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
