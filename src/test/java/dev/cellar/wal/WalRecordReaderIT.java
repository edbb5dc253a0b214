package dev.cellar.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.it.TestFolders;
import dev.cellar.pg.LocalCluster;
import dev.cellar.pg.PgBinaries;
import dev.cellar.pg.ProcessResult;
import dev.cellar.pg.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The WAL reader against real WAL: a cluster with 1 MB segments runs commits, aborts,
 * subtransaction rollbacks, prepared transactions, restore points (one of them written across a
 * segment boundary, one with a non-ASCII name) and a commit record of thousands of
 * subtransactions written across a segment boundary; what the reader finds must be exactly what
 * PostgreSQL's own pg_waldump lists.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WalRecordReaderIT {
    private static final long SEGMENT = 1L << 20;
    private static final Pattern WALDUMP_LINE = Pattern.compile(
            "rmgr: (\\S+)\\s+len \\(rec/tot\\):\\s*(\\d+)/\\s*(\\d+), tx:\\s*(\\d+), lsn: ([0-9A-F]+/[0-9A-F]+), prev \\S+, desc: (\\S+)(?: (.*))?");

    private LocalCluster cluster;
    private Path segments;
    private long startLsn;
    private long endLsn;
    private final Set<String> preparedEnds = new TreeSet<>();
    private long bigCommitXid;

    @BeforeAll
    void writeWal() throws Exception {
        cluster = LocalCluster.start(TestFolders.create("cellar-walreader-pg"), PgBinaries.locate(null),
                Map.of("max_prepared_transactions", "4", "wal_keep_size", "256MB"), List.of("--wal-segsize=1"));
        cluster.createDatabase("Reader");
        try (Connection c = cluster.connect("Reader"); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA \"Wal Test\"");
            s.execute("CREATE TABLE \"Wal Test\".\"Rows\" (id bigserial PRIMARY KEY, v text)");
            s.execute("SELECT pg_switch_wal()");
            startLsn = lsn(s, "SELECT pg_current_wal_insert_lsn()");
            for (int i = 0; i < 300; i++) {
                s.execute("INSERT INTO \"Wal Test\".\"Rows\" (v) SELECT md5(g::text) FROM generate_series(1, " + (1 + i % 40) + ") g");
                if (i % 50 == 7) {
                    s.execute("SELECT pg_create_restore_point('point " + i + "')");
                }
            }
            s.execute("SELECT pg_create_restore_point('päivä ☕ ünïcode')");
            s.execute("SELECT pg_create_restore_point('" + "x".repeat(63) + "')");
            c.setAutoCommit(false);
            s.execute("INSERT INTO \"Wal Test\".\"Rows\" (v) VALUES ('rolled back')");
            c.rollback();
            s.execute("INSERT INTO \"Wal Test\".\"Rows\" (v) VALUES ('kept')");
            s.execute("SAVEPOINT a");
            s.execute("INSERT INTO \"Wal Test\".\"Rows\" (v) VALUES ('subtransaction rolled back')");
            s.execute("ROLLBACK TO SAVEPOINT a");
            c.commit();
            for (String end : List.of("COMMIT", "ROLLBACK")) {
                s.execute("INSERT INTO \"Wal Test\".\"Rows\" (v) VALUES ('prepared')");
                preparedEnds.add(end + " " + xid(s));
                s.execute("PREPARE TRANSACTION 'g " + end + "'");
                c.setAutoCommit(true);
                s.execute(end + " PREPARED 'g " + end + "'");
                c.setAutoCommit(false);
            }
            c.setAutoCommit(true);
            s.execute("SELECT pg_switch_wal()");
            bigCommitXid = commitAcrossASegmentBoundary(c);
            for (int i = 1; i <= 3; i++) {
                padUntilSegmentEndIsNear(s, 90);
                s.execute("SELECT pg_create_restore_point('across the boundary " + i + "')");
            }
            for (int i = 0; i < 50; i++) {
                s.execute("INSERT INTO \"Wal Test\".\"Rows\" (v) SELECT repeat(md5(g::text), 20) FROM generate_series(1, 200) g");
            }
            endLsn = lsn(s, "SELECT pg_current_wal_insert_lsn()");
            s.execute("SELECT pg_switch_wal()");
        }
        segments = TestFolders.create("cellar-walreader-segments");
        try (Stream<Path> files = Files.list(cluster.dataDir().resolve("pg_wal"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("[0-9A-F]{24}")).toList()) {
                long segment = WalFileName.parse(file.getFileName().toString()).segmentNumber(SEGMENT);
                if (segment >= startLsn / SEGMENT && segment <= endLsn / SEGMENT) {
                    Files.copy(file, segments.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void findsExactlyTheCommitsAbortsPreparesAndRestorePointsPgWaldumpLists() throws Exception {
        List<String> expected = new ArrayList<>();
        List<String> crossing = new ArrayList<>();
        for (String line : pgWaldump().lines().toList()) {
            Matcher m = WALDUMP_LINE.matcher(line.strip());
            if (!m.matches()) {
                continue;
            }
            String rmgr = m.group(1);
            String desc = m.group(6);
            long lsn = Lsn.parse(m.group(5));
            String record;
            if (rmgr.equals("Transaction") && Set.of("COMMIT", "ABORT", "PREPARE").contains(desc)) {
                record = desc + " " + Lsn.format(lsn) + " xid " + m.group(4);
            } else if (rmgr.equals("Transaction") && Set.of("COMMIT_PREPARED", "ABORT_PREPARED").contains(desc)) {
                record = desc + " " + Lsn.format(lsn);
            } else if (rmgr.equals("XLOG") && desc.equals("RESTORE_POINT")) {
                record = "RESTORE_POINT " + Lsn.format(lsn) + " " + m.group(7);
            } else {
                continue;
            }
            expected.add(record);
            if (lsn / SEGMENT != (lsn + Long.parseLong(m.group(3)) - 1) / SEGMENT) {
                crossing.add(record);
            }
        }
        List<String> found = new ArrayList<>();
        List<String> preparedFound = new ArrayList<>();
        WalRecordReader reader = new WalRecordReader(SEGMENT);
        for (Path file : segmentFiles()) {
            long start = WalFileName.parse(file.getFileName().toString()).segmentNumber(SEGMENT) * SEGMENT;
            reader.read(start, Files.readAllBytes(file), event -> {
                if (event.lsn() < startLsn || event.lsn() >= endLsn) {
                    return;
                }
                switch (event.kind()) {
                    case COMMIT, ABORT, PREPARE -> found.add(event.kind() + " " + Lsn.format(event.lsn()) + " xid " + event.xid());
                    case COMMIT_PREPARED, ABORT_PREPARED -> {
                        found.add(event.kind() + " " + Lsn.format(event.lsn()));
                        preparedFound.add((event.kind() == WalRecordReader.Kind.COMMIT_PREPARED ? "COMMIT " : "ROLLBACK ") + event.xid());
                    }
                    case RESTORE_POINT -> found.add("RESTORE_POINT " + Lsn.format(event.lsn()) + " " + event.name());
                }
            });
        }
        System.out.printf("pg_waldump listed %d commits, aborts, prepares and restore points, %d of them across a segment boundary%n",
                expected.size(), crossing.size());
        assertThat(found).containsExactlyElementsOf(expected);
        assertThat(found).hasSizeGreaterThan(300).anyMatch(e -> e.contains("päivä ☕ ünïcode")).anyMatch(e -> e.startsWith("ABORT"));
        assertThat(preparedFound).containsExactlyInAnyOrderElementsOf(preparedEnds);
        assertThat(reader.damagedRecords()).isZero();
        // records written across a segment boundary were read whole: the big commit and a restore point at least
        assertThat(crossing).anyMatch(r -> r.startsWith("COMMIT ") && r.endsWith(" xid " + bigCommitXid))
                .anyMatch(r -> r.startsWith("RESTORE_POINT ") && r.contains(" across the boundary "));
        assertThat(found).containsAll(crossing);
    }

    @Test
    void aDamagedRecordIsCountedAndSkippedWithoutLosingTheRest() throws Exception {
        List<Path> files = segmentFiles();
        Path damagedFile = files.get(1);
        byte[] damaged = Files.readAllBytes(damagedFile);
        damaged[SEGMENT > damaged.length ? damaged.length / 2 : (int) (SEGMENT / 2) + 123] ^= 0x5A;
        List<WalRecordReader.Event> intact = new ArrayList<>();
        List<WalRecordReader.Event> afterDamage = new ArrayList<>();
        WalRecordReader clean = new WalRecordReader(SEGMENT);
        WalRecordReader reader = new WalRecordReader(SEGMENT);
        for (Path file : files) {
            long start = WalFileName.parse(file.getFileName().toString()).segmentNumber(SEGMENT) * SEGMENT;
            byte[] content = Files.readAllBytes(file);
            clean.read(start, content, intact::add);
            reader.read(start, file.equals(damagedFile) ? damaged : content, afterDamage::add);
        }
        assertThat(reader.damagedRecords()).isPositive();
        assertThat(clean.damagedRecords()).isZero();
        long damagedFrom = WalFileName.parse(damagedFile.getFileName().toString()).segmentNumber(SEGMENT) * SEGMENT;
        // everything outside the damaged segment is still found
        assertThat(afterDamage.stream().filter(e -> e.lsn() < damagedFrom || e.lsn() >= damagedFrom + SEGMENT).toList())
                .isEqualTo(intact.stream().filter(e -> e.lsn() < damagedFrom || e.lsn() >= damagedFrom + SEGMENT).toList());
    }

    // ---- writing records across segment boundaries

    /**
     * Commits a transaction with thousands of subtransactions (a commit record of more than 12
     * kB) when the WAL insert position is a few hundred bytes before a segment's end; returns its id.
     */
    private long commitAcrossASegmentBoundary(Connection c) throws Exception {
        try (Connection big = cluster.connect("Reader"); Statement b = big.createStatement(); Statement s = c.createStatement()) {
            big.setAutoCommit(false);
            for (int i = 0; i < 3000; i++) {
                b.execute("SAVEPOINT s" + i + "; INSERT INTO \"Wal Test\".\"Rows\" (v) VALUES ('sub " + i + "')");
            }
            long xid = xid(b);
            padUntilSegmentEndIsNear(s, 600);
            big.commit();
            return xid;
        }
    }

    /** Writes non-transactional logical messages until fewer than {@code bytes} remain in the current segment. */
    private static void padUntilSegmentEndIsNear(Statement s, int bytes) throws Exception {
        for (int attempt = 0; attempt < 10_000; attempt++) {
            long insert = lsn(s, "SELECT pg_current_wal_insert_lsn()");
            long remaining = SEGMENT - insert % SEGMENT;
            if (remaining < bytes && remaining > 40) {
                return;
            }
            int size = (int) Math.max(1, Math.min(200_000, remaining - bytes - 400));
            if (remaining <= 40) {
                size = 100;
            }
            s.execute("SELECT pg_logical_emit_message(false, 'pad', repeat('.', " + size + "))");
        }
        throw new AssertionError("could not bring the WAL insert position near a segment end");
    }

    // ---- helpers

    private String pgWaldump() {
        ProcessResult dump = ProcessRunner.run(List.of(cluster.binaries().path("pg_waldump").toString(), "--path=" + segments,
                "--start=" + Lsn.format(startLsn), "--end=" + Lsn.format(endLsn)), Map.of(), null);
        assertThat(dump.exitCode()).as(dump.stderrTail()).isZero();
        return dump.stdout();
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(segments)) {
            return files.sorted().toList();
        }
    }

    private static long lsn(Statement s, String query) throws Exception {
        try (ResultSet rs = s.executeQuery(query + "::text")) {
            rs.next();
            return Lsn.parse(rs.getString(1));
        }
    }

    private static long xid(Statement s) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT txid_current()")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
