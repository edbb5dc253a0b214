package dev.cellar.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the page checksums of a block read from a relation file, the way pg_basebackup does:
 * new pages (never written) carry none, and pages whose LSN is at or after the backup's start
 * are being rewritten right now, which WAL replay repairs, so both are skipped. A page that fails
 * is read once more before it is reported, because the first read may have raced with the
 * server writing it (a torn read).
 */
final class PageValidator {
    private final int pageSize;
    private final long segmentPages;
    private final long startLsn;

    PageValidator(int pageSize, long segmentPages, long startLsn) {
        this.pageSize = pageSize;
        this.segmentPages = segmentPages;
        this.startLsn = startLsn;
    }

    int pageSize() {
        return pageSize;
    }

    /**
     * Bad pages of {@code length} bytes read at {@code fileOffset} of {@code file}, as
     * "path block n" (n counts pages from the start of this file, as pg_basebackup reports them).
     */
    List<String> badPages(SourceFile file, byte[] block, int length, long fileOffset) {
        List<String> bad = null;
        for (int at = 0; at + pageSize <= length; at += pageSize) {
            long pageInFile = (fileOffset + at) / pageSize;
            if (!passes(block, at, pageInFile, file.relation())) {
                if (passesOnReread(file, fileOffset + at, pageInFile)) {
                    continue;
                }
                if (bad == null) {
                    bad = new ArrayList<>();
                }
                bad.add(file.path() + " block " + pageInFile);
            }
        }
        return bad == null ? List.of() : bad;
    }

    private boolean passes(byte[] page, int at, long pageInFile, RelationFile relation) {
        if (PageChecksum.isNew(page, at) || Long.compareUnsigned(PageChecksum.lsn(page, at), startLsn) >= 0) {
            return true;
        }
        long blockNumber = relation.segment() * segmentPages + pageInFile;
        return PageChecksum.verifies(page, at, pageSize, blockNumber);
    }

    private boolean passesOnReread(SourceFile file, long offset, long pageInFile) {
        byte[] page = new byte[pageSize];
        try (FileChannel channel = FileChannel.open(file.location(), StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.wrap(page);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    return true; // truncated meanwhile: the page is gone, WAL replay accounts for it
                }
            }
        } catch (IOException e) {
            return true; // dropped meanwhile
        }
        return passes(page, 0, pageInFile, file.relation());
    }
}
