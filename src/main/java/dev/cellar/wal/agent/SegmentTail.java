package dev.cellar.wal.agent;

import dev.cellar.pipeline.ZstdCodec;
import dev.cellar.repo.WalStore;
import dev.cellar.wal.WalFileName;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One WAL segment while PostgreSQL writes it: each 1 MiB piece is compressed (and added to the
 * segment's SHA-256) as soon as PostgreSQL has written past it, so that when the segment is
 * flagged {@code .ready} only its last piece is left to compress. Nothing here is trusted: the
 * push compares every piece with the final file and compresses again any piece that differs.
 *
 * <p>PostgreSQL writes WAL in order and never rewrites a page once it has written past it; a page
 * belongs to this segment when its header's {@code xlp_pageaddr} is the page's own position
 * (a recycled file still holds the addresses of the segment it was before).
 */
final class SegmentTail {
    static final int PIECE_BYTES = 1 << 20;
    /** {@code xlp_pageaddr} in every WAL page header ({@code XLogPageHeaderData}), little-endian on the machines PostgreSQL runs on here. */
    private static final int PAGE_ADDRESS_OFFSET = 8;
    /** {@code xlp_seg_size} in the long header of a segment's first page ({@code XLogLongPageHeaderData}). */
    private static final int SEGMENT_SIZE_OFFSET = 32;

    /** What {@link #encode} made: the encoding and how many of the pieces were compressed ahead. */
    record Ahead(WalStore.EncodedWal encoded, int piecesAhead, int pieces) {
    }

    private final WalFileName name;
    private final Path file;
    private final int size;
    private final long startLsn;
    private final ZstdCodec codec;
    /** The pieces read so far, as they were when compressed. */
    private final byte[] plain;
    private final List<byte[]> frames = new ArrayList<>();
    /** The SHA-256 state after 0, 1, 2, ... pieces. */
    private final List<MessageDigest> digestAfter = new ArrayList<>();
    private FileChannel channel;
    private boolean taken;

    private SegmentTail(WalFileName name, Path file, int size, ZstdCodec codec) {
        this.name = name;
        this.file = file;
        this.size = size;
        this.startLsn = name.segmentNumber(size) * size;
        this.codec = codec;
        this.plain = new byte[size];
        digestAfter.add(sha256());
    }

    /**
     * The segment in {@code file} if PostgreSQL has started writing it (its first page is its own),
     * else null. Segments larger than {@code largestSegment} are not followed (a copy is kept in memory).
     */
    static SegmentTail startedAt(Path file, ZstdCodec codec, long largestSegment) throws IOException {
        WalFileName name = WalFileName.parse(file.getFileName().toString());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = read(channel, 0, SEGMENT_SIZE_OFFSET + 4);
            long size = Integer.toUnsignedLong(header.getInt(SEGMENT_SIZE_OFFSET));
            if (size < PIECE_BYTES || size > largestSegment || Long.bitCount(size) != 1 || channel.size() != size
                    || header.getLong(PAGE_ADDRESS_OFFSET) != name.segmentNumber(size) * size) {
                return null;
            }
            return new SegmentTail(name, file, (int) size, codec);
        } catch (EOFException e) {
            return null;
        }
    }

    WalFileName name() {
        return name;
    }

    /** The segment after this one on the same timeline, in the same folder. */
    Path nextFile() {
        return file.resolveSibling(WalFileName.segment(name.timeline(), name.segmentNumber(size) + 1, size).name());
    }

    /** Whether PostgreSQL has started writing {@code next}, the segment after this one: this one is then complete. */
    boolean isFollowedBy(Path next) {
        try (FileChannel channel = FileChannel.open(next, StandardOpenOption.READ)) {
            return pageAddress(channel, 0) == startLsn + size;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Compresses the pieces PostgreSQL has written past (all of them once {@code complete});
     * returns whether any was.
     */
    synchronized boolean compressWrittenPieces(boolean complete) throws IOException {
        if (taken) {
            return false;
        }
        int pieces = size / PIECE_BYTES;
        boolean progress = false;
        while (frames.size() < pieces) {
            int piece = frames.size();
            if (channel == null) {
                channel = FileChannel.open(file, StandardOpenOption.READ);
            }
            boolean written = complete || pageAddress(channel, (long) (piece + 1) * PIECE_BYTES) == startLsn + (long) (piece + 1) * PIECE_BYTES;
            if (!written) {
                break;
            }
            int offset = piece * PIECE_BYTES;
            readFully(channel, offset, ByteBuffer.wrap(plain, offset, PIECE_BYTES));
            frames.add(codec.frame(plain, offset, PIECE_BYTES));
            MessageDigest digest = copy(digestAfter.getLast());
            digest.update(plain, offset, PIECE_BYTES);
            digestAfter.add(digest);
            progress = true;
        }
        if (frames.size() == pieces) {
            closeChannel();
        }
        return progress;
    }

    /**
     * The encoding of {@code content}, the segment as PostgreSQL finished it: the pieces compressed
     * ahead that equal its bytes are used, every other piece is compressed now. Null when the
     * content is not of this segment's size. The tail is spent afterwards.
     */
    synchronized Ahead encode(byte[] content) {
        taken = true;
        closeChannel();
        if (content.length != size) {
            return null;
        }
        int same = 0;
        while (same < frames.size() && Arrays.equals(content, same * PIECE_BYTES, (same + 1) * PIECE_BYTES,
                plain, same * PIECE_BYTES, (same + 1) * PIECE_BYTES)) {
            same++;
        }
        List<byte[]> pieces = new ArrayList<>(frames.subList(0, same));
        for (int offset = same * PIECE_BYTES; offset < size; offset += PIECE_BYTES) {
            pieces.add(codec.frame(content, offset, PIECE_BYTES));
        }
        MessageDigest digest = copy(digestAfter.get(same));
        digest.update(content, same * PIECE_BYTES, size - same * PIECE_BYTES);
        WalStore.EncodedWal encoded = new WalStore.EncodedWal(ZstdCodec.encodeFromFrames(pieces, content), HexFormat.of().formatHex(digest.digest()));
        return new Ahead(encoded, same, size / PIECE_BYTES);
    }

    /** Lets go of the open file (a tail dropped without being used). */
    synchronized void release() {
        taken = true;
        closeChannel();
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only: nothing to lose
            }
            channel = null;
        }
    }

    private static long pageAddress(FileChannel channel, long position) throws IOException {
        if (position + PAGE_ADDRESS_OFFSET + 8 > channel.size()) {
            return -1;
        }
        return read(channel, position, PAGE_ADDRESS_OFFSET + 8).getLong(PAGE_ADDRESS_OFFSET);
    }

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, position, buffer);
        return buffer.flip();
    }

    private static void readFully(FileChannel channel, long position, ByteBuffer into) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int n = channel.read(into, at);
            if (n < 0) {
                throw new EOFException("end of " + channel + " at " + at);
            }
            at += n;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest copy(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 state cannot be copied", e);
        }
    }
}
