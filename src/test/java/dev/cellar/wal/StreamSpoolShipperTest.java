package dev.cellar.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.pipeline.ChunkerParameters;
import dev.cellar.repo.Repository;
import dev.cellar.repo.RepositorySecret;
import dev.cellar.storage.LocalStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import dev.cellar.repo.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipper against a real local repository and spool folder, with a clock the test moves. */
class StreamSpoolShipperTest {
    private static final String SEG_A = "00000001000000000000000A";
    private static final String SEG_B = "00000001000000000000000B";
    private static final String SEG_C = "00000001000000000000000C";

    @TempDir
    static Path shared;
    private static Repository repository;

    @TempDir
    Path spoolRoot;
    private final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T12:00:00Z"));
    private StreamSpool spool;
    private WalArchive archive;
    private StreamSpoolShipper shipper;

    @BeforeAll
    static void createRepository() {
        repository = Repository.init(new LocalStorage(shared.resolve("repo")), RepositorySecret.passphrase("shipper test".toCharArray()),
                ChunkerParameters.ofAverage(64 * 1024), Clock.systemUTC());
    }

    @BeforeEach
    void emptyArchiveAndSpool() {
        archive = new WalArchive(repository, 1);
        archive.list().forEach(archive::delete);
        spool = StreamSpool.open(spoolRoot, "7123456789");
        shipper = new StreamSpoolShipper(spool, archive, new ShipPolicy(Duration.ofSeconds(1), Duration.ZERO), clock);
    }

    @Test
    void finishedSegmentReplacesItsPartialInTheRepositoryAndLeavesTheSpoolOnceNotNewest() throws IOException {
        write(SEG_A + ".partial", 'a');
        shipper.shipNow(false, OptionalLong.empty());
        assertThat(archive.contains(WalFileName.parse(SEG_A + ".partial"))).isTrue();

        Files.move(spool.path(WalFileName.parse(SEG_A + ".partial")), spool.folder().resolve(SEG_A));
        write(SEG_B + ".partial", 'b');
        shipper.shipNow(false, OptionalLong.empty());
        assertThat(archive.read(WalFileName.parse(SEG_A))).containsOnly((byte) 'a');
        assertThat(archive.contains(WalFileName.parse(SEG_A + ".partial"))).isFalse();
        assertThat(Files.exists(spool.folder().resolve(SEG_A))).as("newest finished segment stays for pg_receivewal's restart").isTrue();

        Files.move(spool.path(WalFileName.parse(SEG_B + ".partial")), spool.folder().resolve(SEG_B));
        write(SEG_C + ".partial", 'c');
        shipper.shipNow(false, OptionalLong.empty());
        assertThat(Files.exists(spool.folder().resolve(SEG_A))).isFalse();
        assertThat(Files.exists(spool.folder().resolve(SEG_B))).isTrue();
        assertThat(archive.list()).extracting(WalFileName::name).containsExactly(SEG_A, SEG_B, SEG_C + ".partial");
        assertThat(shipper.finishedCount()).isEqualTo(2);
    }

    @Test
    void aGrowingPartialIsShippedAtMostOncePerRpoAndTheLastWriteReachesTheRepository() throws IOException {
        Path partial = write(SEG_A + ".partial", '1');
        shipper.shipNow(false, OptionalLong.of(100));
        assertThat(shipper.partialCount()).isEqualTo(1);
        assertThat(shipper.shippedLsn()).isEqualTo(100);

        clock.advance(Duration.ofMillis(300));
        rewrite(partial, '2', clock.instant());
        shipper.shipNow(false, OptionalLong.of(200));
        assertThat(shipper.partialCount()).as("changed, but shipped less than an RPO ago").isEqualTo(1);
        assertThat(shipper.shippedLsn()).as("WAL up to 200 is not in the repository yet").isEqualTo(100);
        clock.advance(Duration.ofMillis(400));
        assertThat(shipper.waiting()).isEqualTo(Duration.ofMillis(400));

        clock.advance(Duration.ofMillis(400));
        shipper.shipNow(false, OptionalLong.of(200));
        assertThat(shipper.partialCount()).isEqualTo(2);
        assertThat(shipper.shippedLsn()).isEqualTo(200);
        assertThat(shipper.waiting()).isZero();
        assertThat(archive.read(WalFileName.parse(SEG_A + ".partial"))).containsOnly((byte) '2');

        clock.advance(Duration.ofSeconds(5));
        shipper.shipNow(false, OptionalLong.of(200));
        assertThat(shipper.partialCount()).as("unchanged: not shipped again").isEqualTo(2);
    }

    @Test
    void finalPassShipsTheLastWritesAtOnce() throws IOException {
        Path partial = write(SEG_A + ".partial", '1');
        shipper.shipNow(false, OptionalLong.empty());
        clock.advance(Duration.ofMillis(200));
        rewrite(partial, '2', clock.instant());
        shipper.shipNow(true, OptionalLong.empty());
        assertThat(archive.read(WalFileName.parse(SEG_A + ".partial"))).containsOnly((byte) '2');
    }

    @Test
    void aSegmentTheArchiverPushedAlreadyIsAcceptedAndHistoryFilesAreShipped() throws IOException {
        archive.push(WalFileName.parse(SEG_A), "aaaa".getBytes());
        Files.writeString(spool.folder().resolve(SEG_A), "aaaa");
        Files.writeString(spool.folder().resolve("00000002.history"), "1\t0/A000000\tno recovery target specified\n");
        Files.writeString(spool.folder().resolve("00000002.history.tmp"), "in progress");
        shipper.shipNow(false, OptionalLong.empty());
        assertThat(archive.list()).extracting(WalFileName::name).containsExactly(SEG_A, "00000002.history");
    }

    private Path write(String name, char fill) throws IOException {
        Path file = spool.folder().resolve(name);
        Files.write(file, String.valueOf(fill).repeat(8192).getBytes());
        Files.setLastModifiedTime(file, FileTime.from(clock.instant().minusSeconds(1)));
        return file;
    }

    private static void rewrite(Path file, char fill, Instant modified) throws IOException {
        Files.write(file, String.valueOf(fill).repeat(8192).getBytes());
        Files.setLastModifiedTime(file, FileTime.from(modified));
    }
}
