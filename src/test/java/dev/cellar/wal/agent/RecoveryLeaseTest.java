package dev.cellar.wal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryLeaseTest {
    @TempDir
    Path folder;

    @Test
    void aLeaseHeldByALiveProcessLastsAndEndsWithIt() throws Exception {
        Path spool = Files.createDirectories(folder.resolve("restore-1"));
        RecoveryLease.ownedByThisProcess(folder.resolve("pgdata")).writeTo(spool);
        RecoveryLease read = RecoveryLease.readFrom(spool).orElseThrow();
        assertThat(read.owned()).isTrue();
        assertThat(read.ownerPid()).isEqualTo(ProcessHandle.current().pid());
        // the data directory does not even exist yet: the owner decides, not the recovery
        assertThat(read.endReason()).isNull();

        Process child = new ProcessBuilder("sleep", "60").start();
        RecoveryLease ofChild = new RecoveryLease(folder.resolve("pgdata"), child.pid(), child.info().startInstant().orElse(null));
        assertThat(ofChild.endReason()).isNull();
        child.destroyForcibly().waitFor();
        assertThat(ofChild.endReason()).isEqualTo("its restore (pid " + child.pid() + ") is gone");
    }

    @Test
    void aRecycledPidIsNotTakenForTheOwner() {
        Instant otherStart = ProcessHandle.current().info().startInstant().orElseThrow().minusSeconds(3600);
        RecoveryLease recycled = new RecoveryLease(folder, ProcessHandle.current().pid(), otherStart);
        assertThat(recycled.ownerAlive()).isFalse();
        assertThat(recycled.endReason()).contains("is gone");
    }

    @Test
    void aLeaseWithoutOwnerLastsWhileTheServerRecovers() throws IOException {
        Path dataDir = Files.createDirectories(folder.resolve("pg data"));
        RecoveryLease lease = RecoveryLease.whileRecovering(dataDir);
        Files.writeString(dataDir.resolve("recovery.signal"), "");
        // a postmaster.pid whose process is alive (this JVM stands in for the postmaster)
        Files.writeString(dataDir.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + dataDir + "\n");
        assertThat(lease.endReason()).isNull();

        Files.writeString(dataDir.resolve("postmaster.pid"), "999999999\n");
        assertThat(lease.endReason()).isEqualTo("the server on " + dataDir + " is not running");

        Files.writeString(dataDir.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n");
        Files.delete(dataDir.resolve("recovery.signal"));
        assertThat(lease.endReason()).isEqualTo("the recovery of " + dataDir + " is over");

        Files.delete(dataDir.resolve("postmaster.pid"));
        Files.delete(dataDir);
        assertThat(lease.endReason()).isEqualTo("the data directory " + dataDir + " is gone");
    }

    @Test
    void claimCreatesAMissingSpoolAndTakesOverOneWhoseOwnerDied() throws Exception {
        Path dataDir = Files.createDirectories(folder.resolve("pgdata"));
        WalSpool spool = new WalSpool(folder.resolve("spool").resolve("restore-2"));
        assertThat(RecoveryLease.claim(spool, dataDir)).contains(spool);
        assertThat(Files.isDirectory(spool.fetchedDir())).isTrue();
        assertThat(RecoveryLease.readFrom(spool.root()).orElseThrow().owned()).isFalse();

        Process child = new ProcessBuilder("true").start();
        child.waitFor();
        new RecoveryLease(dataDir, child.pid(), null).writeTo(spool.root());
        RecoveryLease.claim(spool, dataDir);
        assertThat(RecoveryLease.readFrom(spool.root()).orElseThrow()).isEqualTo(RecoveryLease.whileRecovering(dataDir));

        // a live owner keeps its lease
        RecoveryLease.ownedByThisProcess(dataDir).writeTo(spool.root());
        RecoveryLease.claim(spool, dataDir);
        assertThat(RecoveryLease.readFrom(spool.root()).orElseThrow().ownerPid()).isEqualTo(ProcessHandle.current().pid());

        assertThat(spool.delete()).isTrue();
        assertThat(spool.root()).doesNotExist();
        try (var left = Files.list(spool.root().getParent())) {
            assertThat(left.toList()).isEmpty();
        }
    }
}
