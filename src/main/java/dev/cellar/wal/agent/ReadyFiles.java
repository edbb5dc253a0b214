package dev.cellar.wal.agent;

import dev.cellar.wal.WalFileName;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The WAL files PostgreSQL has finished and wants archived: {@code pg_wal/archive_status/<name>.ready}.
 * They are shipped in the order PostgreSQL's own archiver takes them (15+): timeline history files
 * first, then oldest first, so the agent stays ahead of it.
 */
public final class ReadyFiles {
    static final String READY = ".ready";
    static final String DONE = ".done";

    /** History files first (recovery needs them to follow a timeline switch), then by name. */
    static final Comparator<WalFileName> ARCHIVER_ORDER = Comparator
            .comparing((WalFileName n) -> n.kind() != WalFileName.Kind.HISTORY)
            .thenComparing(Comparator.naturalOrder());

    private final Path pgWal;
    private final Path status;

    public ReadyFiles(Path pgData) {
        this.pgWal = pgData.resolve("pg_wal");
        this.status = pgWal.resolve("archive_status");
    }

    /** The WAL file of that name in pg_wal. */
    public Path file(WalFileName name) {
        return pgWal.resolve(name.name());
    }

    /** Files with a {@code .ready} flag, in archiver order; empty when the folder is missing. */
    public List<WalFileName> list() {
        List<WalFileName> ready = new ArrayList<>();
        try (DirectoryStream<Path> flags = Files.newDirectoryStream(status, "*" + READY)) {
            for (Path flag : flags) {
                String file = flag.getFileName().toString();
                String name = file.substring(0, file.length() - READY.length());
                if (WalFileName.isWalFileName(name)) {
                    ready.add(WalFileName.parse(name));
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            return List.of();
        }
        ready.sort(ARCHIVER_ORDER);
        return ready;
    }

    public boolean isReady(WalFileName name) {
        return Files.exists(status.resolve(name.name() + READY));
    }

    public boolean exists() {
        return Files.isDirectory(status);
    }
}
