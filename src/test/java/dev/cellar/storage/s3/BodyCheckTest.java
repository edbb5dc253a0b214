package dev.cellar.storage.s3;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import static org.assertj.core.api.Assertions.assertThat;

class BodyCheckTest {
    private static GetObjectResponse response(long contentLength, String contentRange) {
        return GetObjectResponse.builder().contentLength(contentLength).contentRange(contentRange).build();
    }

    @Test
    void aWholeBodyMustBeAsLongAsItsContentLength() {
        assertThat(BodyCheck.wholeProblem(response(10, null), new byte[10])).isNull();
        assertThat(BodyCheck.wholeProblem(response(10, null), new byte[9])).contains("received 9 bytes of a 10-byte object");
    }

    @Test
    void aRangedBodyMustCoverTheRangeAskedForOrReachTheEnd() {
        assertThat(BodyCheck.rangeProblem(response(5, "bytes 100-104/1000"), new byte[5], 100, 5)).isNull();
        assertThat(BodyCheck.rangeProblem(response(3, "bytes 997-999/1000"), new byte[3], 997, 10)).isNull();
        assertThat(BodyCheck.rangeProblem(response(5, "bytes 101-105/1000"), new byte[5], 100, 5)).contains("from 101");
        assertThat(BodyCheck.rangeProblem(response(4, "bytes 100-103/1000"), new byte[4], 100, 5)).contains("asked for 5 bytes");
        assertThat(BodyCheck.rangeProblem(response(5, "bytes 100-104/1000"), new byte[4], 100, 5)).contains("received 4 bytes");
        assertThat(BodyCheck.rangeProblem(response(5, "nonsense"), new byte[5], 100, 5)).contains("unreadable");
    }

    @Test
    void aServerIgnoringRangeIsToleratedWhenTheWholeBodyArrived() {
        assertThat(BodyCheck.rangeProblem(response(1000, null), new byte[1000], 100, 5)).isNull();
        assertThat(BodyCheck.rangeProblem(response(1000, null), new byte[999], 100, 5)).isNotNull();
    }
}
