package dev.cellar.wal.agent;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * Why a restore's spool folder exists and when it must go: the file {@code recovery.lease} in
 * it names the data directory whose recovery it serves and, while a {@code restore pitr --start}
 * runs, that process. The WAL agent serving the folder reads it over and over and deletes the
 * folder (decrypted WAL included) as soon as {@link #endReason()} says the lease has run out: its
 * owner died (even by SIGKILL: the agent watches the pid, not a signal), or, without an owner,
 * the recovery is over or its server stopped.
 *
 * @param dataDir      the restored data directory
 * @param ownerPid     the restore process that owns the folder, or 0 when none does (a server
 *                     started by hand, or one whose restore was killed)
 * @param ownerStarted when that process started, so that a recycled pid is not taken for it
 */
public record RecoveryLease(Path dataDir, long ownerPid, Instant ownerStarted) {
    public static final String FILE = "recovery.lease";

    /** A lease held by this process for the recovery of {@code dataDir}. */
    public static RecoveryLease ownedByThisProcess(Path dataDir) {
        ProcessHandle self = ProcessHandle.current();
        return new RecoveryLease(dataDir.toAbsolutePath().normalize(), self.pid(), self.info().startInstant().orElse(null));
    }

    /** A lease that lasts as long as the recovery of {@code dataDir}. */
    public static RecoveryLease whileRecovering(Path dataDir) {
        return new RecoveryLease(dataDir.toAbsolutePath().normalize(), 0, null);
    }

    public boolean owned() {
        return ownerPid > 0;
    }

    /** Writes the lease into {@code spool} atomically. */
    public void writeTo(Path spool) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("data-dir", dataDir.toString());
        if (owned()) {
            properties.setProperty("owner-pid", Long.toString(ownerPid));
            if (ownerStarted != null) {
                properties.setProperty("owner-started", ownerStarted.toString());
            }
        }
        StringBuilder text = new StringBuilder("# Cellar: this folder serves the recovery of the data directory below and is deleted with it\n");
        properties.stringPropertyNames().stream().sorted().forEach(k -> text.append(k).append('=')
                .append(properties.getProperty(k).replace("\\", "\\\\")).append('\n'));
        Path temp = spool.resolve("." + FILE + ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, spool.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The spool of a restore, as its restore_command ({@code wal get --recovery-of}) finds it: a
     * missing one is created with a lease that lasts as long as the recovery, and a lease whose
     * owner died (a killed {@code restore pitr --start}, whose server recovers on) is taken over
     * the same way. Empty when the folder cannot be made: the caller then fetches without it.
     */
    public static Optional<WalSpool> claim(WalSpool spool, Path dataDir) {
        try {
            if (!Files.isDirectory(spool.root())) {
                spool.create();
                whileRecovering(dataDir).writeTo(spool.root());
                return Optional.of(spool);
            }
            Optional<RecoveryLease> lease = readFrom(spool.root());
            if (lease.isEmpty() || lease.get().owned() && !lease.get().ownerAlive()) {
                whileRecovering(dataDir).writeTo(spool.root());
            }
            return Optional.of(spool);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The lease in {@code spool}, or empty when there is none (or it cannot be read). */
    public static Optional<RecoveryLease> readFrom(Path spool) {
        try {
            Properties properties = new Properties();
            properties.load(new StringReader(Files.readString(spool.resolve(FILE), StandardCharsets.UTF_8)));
            String dataDir = properties.getProperty("data-dir");
            if (dataDir == null) {
                return Optional.empty();
            }
            long pid = Long.parseLong(properties.getProperty("owner-pid", "0"));
            String started = properties.getProperty("owner-started");
            return Optional.of(new RecoveryLease(Path.of(dataDir), pid, started == null ? null : Instant.parse(started)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Null while the folder is still needed; otherwise why it is not. */
    public String endReason() {
        if (owned()) {
            return ownerAlive() ? null : "its restore (pid " + ownerPid + ") is gone";
        }
        if (!Files.isDirectory(dataDir)) {
            return "the data directory " + dataDir + " is gone";
        }
        if (!Files.exists(dataDir.resolve("recovery.signal")) && !Files.exists(dataDir.resolve("standby.signal"))) {
            return "the recovery of " + dataDir + " is over";
        }
        if (!postmasterRuns()) {
            return "the server on " + dataDir + " is not running";
        }
        return null;
    }

    /** Whether the owner named in this lease still runs (and is the same process, not a recycled pid). */
    public boolean ownerAlive() {
        Optional<ProcessHandle> owner = ProcessHandle.of(ownerPid);
        if (owner.isEmpty() || !owner.get().isAlive()) {
            return false;
        }
        Optional<Instant> started = owner.get().info().startInstant();
        return ownerStarted == null || started.isEmpty() || started.get().equals(ownerStarted);
    }

    /** The first line of postmaster.pid names a live process. */
    private boolean postmasterRuns() {
        try {
            String first = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.US_ASCII).get(0).strip();
            return ProcessHandle.of(Long.parseLong(first)).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
