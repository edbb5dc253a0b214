package dev.cellar.storage.s3;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Checks that a downloaded body is as long as the server said and, for a ranged read, covers the
 * range asked for. A body that fails is retried, never returned.
 */
final class BodyCheck {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private BodyCheck() {
    }

    /** What is wrong with a whole-object body, or null. */
    static String wholeProblem(GetObjectResponse response, byte[] body) {
        Long expected = response.contentLength();
        if (expected != null && expected != body.length) {
            return "received " + body.length + " bytes of a " + expected + "-byte object";
        }
        return null;
    }

    /**
     * What is wrong with the body of a ranged read of {@code [offset, offset + length)}, or null.
     * A server that ignores Range and sends the whole object is tolerated (the caller slices it).
     */
    static String rangeProblem(GetObjectResponse response, byte[] body, long offset, int length) {
        String whole = wholeProblem(response, body);
        if (whole != null) {
            return whole;
        }
        String contentRange = response.contentRange();
        if (contentRange == null) {
            return null;
        }
        Matcher m = CONTENT_RANGE.matcher(contentRange.trim());
        if (!m.matches()) {
            return "unreadable Content-Range '" + contentRange + "'";
        }
        long first = Long.parseLong(m.group(1));
        long last = Long.parseLong(m.group(2));
        if (first != offset) {
            return "asked for bytes from " + offset + " and received bytes from " + first;
        }
        if (last - first + 1 != body.length) {
            return "Content-Range " + contentRange + " but " + body.length + " bytes received";
        }
        long wanted = length;
        if (!m.group(3).equals("*")) {
            wanted = Math.min(length, Long.parseLong(m.group(3)) - offset);
        }
        if (body.length != wanted) {
            return "asked for " + wanted + " bytes from " + offset + " and received " + body.length;
        }
        return null;
    }
}
