package dev.cellar.backup;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.pipeline.Crc32cText;
import dev.cellar.repo.ChunkRef;
import dev.cellar.repo.ChunkStore;
import dev.cellar.repo.PhysicalInfo;
import dev.cellar.pipeline.ZstdCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

/**
 * Copies one data file into the chunk store: reads it in page-aligned blocks, each stored as a
 * chunk (an unchanged block is already there and costs a hash and an existence check), while
 * the file's CRC-32C is computed in order. Hashing, checksum validation, compression and
 * writing run on a shared pool, so one large file keeps every core busy; the number of blocks
 * in flight is bounded by a shared buffer pool, which bounds memory.
 */
final class DataFileCopier {
    private final ChunkStore chunks;
    private final ZstdCodec codec;
    private final ExecutorService blockWorkers;
    private final BlockingQueue<byte[]> buffers;
    private final int blockSize;
    private final PageValidator validator;
    private final LongConsumer progress;

    final AtomicLong bytesRead = new AtomicLong();
    final AtomicLong newBlocks = new AtomicLong();
    final AtomicLong reusedBlocks = new AtomicLong();
    final AtomicLong newPlainBytes = new AtomicLong();
    final AtomicLong storedBytes = new AtomicLong();

    /**
     * @param validator page checksum validation, or null when the cluster has no checksums
     * @param buffers   how many blocks may be in memory at once
     */
    DataFileCopier(ChunkStore chunks, ZstdCodec codec, ExecutorService blockWorkers, int blockSize, int buffers,
                   PageValidator validator, LongConsumer progress) {
        this.chunks = chunks;
        this.codec = codec;
        this.blockWorkers = blockWorkers;
        this.blockSize = blockSize;
        this.validator = validator;
        this.progress = progress;
        this.buffers = new ArrayBlockingQueue<>(buffers);
        for (int i = 0; i < buffers; i++) {
            this.buffers.add(new byte[blockSize]);
        }
    }

    /** What copying one file produced; null entry when the file vanished before it was opened. */
    record Copied(PhysicalInfo.FileEntry entry, List<String> badPages) {
    }

    private record Block(ChunkRef ref, List<String> badPages) {
    }

    /**
     * Reads the file and hands its blocks to the block workers; returns once the file is read, so
     * the reader goes on to the next file while the blocks are still being stored (a store across
     * a network would otherwise cost every small file a round trip of its own). The buffers bound
     * what is in memory; the future completes when every block is stored.
     */
    CompletableFuture<Copied> copy(SourceFile file) {
        List<CompletableFuture<Block>> blocks = new ArrayList<>();
        CRC32C crc = new CRC32C();
        long offset = 0;
        try (FileChannel channel = FileChannel.open(file.location(), StandardOpenOption.READ)) {
            while (offset < file.size()) {
                byte[] buffer = takeBuffer();
                int want = (int) Math.min(blockSize, file.size() - offset);
                int n;
                try {
                    n = readFully(channel, buffer, want, offset);
                } catch (IOException | RuntimeException e) {
                    buffers.add(buffer);
                    throw e;
                }
                if (n == 0) {
                    buffers.add(buffer);
                    break; // the file shrank: it is stored as read, WAL replay brings it to its final size
                }
                crc.update(buffer, 0, n);
                long blockOffset = offset;
                blocks.add(CompletableFuture.supplyAsync(() -> store(file, buffer, n, blockOffset), blockWorkers));
                offset += n;
                if (n < want) {
                    break;
                }
            }
        } catch (NoSuchFileException vanished) {
            // dropped during the backup; WAL replay drops it as well
            return CompletableFuture.allOf(blocks.toArray(CompletableFuture[]::new)).thenApply(done -> null);
        } catch (IOException e) {
            throw new CellarException(ErrorCode.INTERNAL, "cannot read " + file.location() + ": " + e.getMessage(),
                    "run cellar as the operating-system user that owns the data directory (usually postgres)", e);
        }
        long size = offset;
        String crcHex = Crc32cText.of(crc);
        return CompletableFuture.allOf(blocks.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<ChunkRef> refs = new ArrayList<>(blocks.size());
            List<String> bad = new ArrayList<>();
            for (CompletableFuture<Block> block : blocks) {
                Block b = block.join();
                refs.add(b.ref());
                bad.addAll(b.badPages());
            }
            return new Copied(new PhysicalInfo.FileEntry(file.path(), size, file.mtimeMillis(), file.mode(), crcHex, refs), bad);
        });
    }

    private Block store(SourceFile file, byte[] buffer, int length, long fileOffset) {
        try {
            List<String> bad = validator != null && file.relation() != null
                    ? validator.badPages(file, buffer, length, fileOffset) : List.of();
            String id = chunks.idOf(buffer, 0, length);
            ChunkStore.Stored stored = chunks.put(id, buffer, 0, length, codec);
            if (stored.storedBytes() > 0) {
                newBlocks.incrementAndGet();
                newPlainBytes.addAndGet(length);
                storedBytes.addAndGet(stored.storedBytes());
            } else {
                reusedBlocks.incrementAndGet();
            }
            bytesRead.addAndGet(length);
            progress.accept(length);
            return new Block(stored.ref(), bad);
        } finally {
            buffers.add(buffer);
        }
    }

    private byte[] takeBuffer() {
        try {
            return buffers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CellarException(ErrorCode.INTERRUPTED, "backup interrupted");
        }
    }

    private static int readFully(FileChannel channel, byte[] buffer, int want, long offset) throws IOException {
        ByteBuffer target = ByteBuffer.wrap(buffer, 0, want);
        while (target.hasRemaining()) {
            if (channel.read(target, offset + target.position()) < 0) {
                break;
            }
        }
        return target.position();
    }
}
