package dev.cellar.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.wal.WalFileName;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class WalGapTest {
    private static final long SIZE = WalFileName.DEFAULT_SEGMENT_SIZE;
    private static final WalFileName START = WalFileName.parse("000000010000000000000004");

    private static List<WalFileName> archived(String... names) {
        return Stream.of(names).map(WalFileName::parse).toList();
    }

    @Test
    void anUnbrokenArchiveEndingInAStreamedPartialHasNoGap() {
        assertThat(WalGap.find(START, archived("000000010000000000000003", "000000010000000000000004", "000000010000000000000005",
                "000000010000000000000006.partial"), SIZE)).isEmpty();
    }

    @Test
    void theFirstSegmentMissingBeforeTheNewestIsTheGap() {
        WalGap gap = WalGap.find(START, archived("000000010000000000000004", "000000010000000000000005", "000000010000000000000007",
                "000000010000000000000008"), SIZE).orElseThrow();
        assertThat(gap.missing().name()).isEqualTo("000000010000000000000006");
        assertThat(gap.before().name()).isEqualTo("000000010000000000000005");
        assertThat(gap.newest().name()).isEqualTo("000000010000000000000008");
        assertThat(gap.describe()).contains("000000010000000000000006 is missing").contains("up to 000000010000000000000008");
    }

    @Test
    void segmentsBeforeTheBackupAndHistoryFilesDoNotCount() {
        assertThat(WalGap.find(START, archived("000000010000000000000001", "000000010000000000000004", "00000002.history"), SIZE)).isEmpty();
    }

    @Test
    void theBackupsOwnFirstSegmentMissingIsAGapWhenLaterOnesExist() {
        WalGap gap = WalGap.find(START, archived("000000010000000000000005"), SIZE).orElseThrow();
        assertThat(gap.missing().name()).isEqualTo("000000010000000000000004");
        assertThat(gap.describe()).contains("stops at the backup's start");
    }
}
