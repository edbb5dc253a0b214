package dev.cellar.repo;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/** Backup ids sort by start time (UTC, to the millisecond) and carry a random suffix so two hosts never collide. */
public final class BackupId {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private BackupId() {
    }

    public static String next(Instant startedAt) {
        byte[] suffix = new byte[3];
        RANDOM.nextBytes(suffix);
        return FORMAT.format(startedAt) + "-" + HexFormat.of().formatHex(suffix);
    }
}
