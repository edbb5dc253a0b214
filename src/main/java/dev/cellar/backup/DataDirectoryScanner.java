package dev.cellar.backup;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import dev.cellar.repo.PhysicalInfo;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Lists what a physical backup copies, leaving out what PostgreSQL's own base backup leaves out
 * ({@code src/backend/backup/basebackup.c}): WAL (archived separately), runtime state that the
 * server rebuilds at start (shared memory, notifications, temporary statistics, subtransactions),
 * temporary files and relations, the lock file, the relation cache, a stale {@code backup_label},
 * and the data forks of unlogged relations, which recovery resets from their {@code _init} fork.
 * Files that disappear during the walk (a table dropped meanwhile) are skipped: WAL replay
 * removes them anyway.
 */
public final class DataDirectoryScanner {
    /** Folders kept, but empty. */
    private static final Set<String> EMPTIED_FOLDERS = Set.of("pg_wal", "pg_replslot", "pg_dynshmem", "pg_notify", "pg_serial",
            "pg_snapshots", "pg_stat_tmp", "pg_subtrans");
    /** Files left out wherever they are. */
    private static final Set<String> EXCLUDED_FILES = Set.of("postmaster.pid", "postmaster.opts", "pg_internal.init",
            "postgresql.auto.conf.tmp", "current_logfiles.tmp", "backup_manifest");
    /** Left out only at the top: pg_backup_stop returns the right ones, a file on disk is stale. */
    private static final Set<String> EXCLUDED_TOP_FILES = Set.of("backup_label", "tablespace_map");
    private static final String TEMP_PREFIX = "pgsql_tmp";
    private static final Pattern TEMP_RELATION = Pattern.compile("t[0-9]+_[0-9]+(_(fsm|vm|init))?(\\.[0-9]+)?");

    private final Path dataDir;
    private final List<PhysicalInfo.DirectoryEntry> directories = new ArrayList<>();
    private final List<SourceFile> files = new ArrayList<>();
    private final List<DataDirectoryScan.TablespaceLink> tablespaces = new ArrayList<>();

    private DataDirectoryScanner(Path dataDir) {
        this.dataDir = dataDir;
    }

    public static DataDirectoryScan scan(Path dataDir) {
        DataDirectoryScanner scanner = new DataDirectoryScanner(dataDir);
        scanner.walkFolder(dataDir, "");
        return new DataDirectoryScan(List.copyOf(scanner.directories), List.copyOf(scanner.files), List.copyOf(scanner.tablespaces));
    }

    private void walkFolder(Path folder, String relative) {
        TreeMap<String, Path> entries = list(folder, relative);
        Set<Long> unlogged = unloggedRelations(relative, entries.keySet());
        for (var entry : entries.entrySet()) {
            String name = entry.getKey();
            String path = relative.isEmpty() ? name : relative + "/" + name;
            PosixFileAttributes attributes = attributes(entry.getValue());
            if (attributes == null || excluded(relative, name, unlogged)) {
                continue;
            }
            if (attributes.isSymbolicLink()) {
                symbolicLink(entry.getValue(), relative, name, path);
            } else if (attributes.isDirectory()) {
                directories.add(new PhysicalInfo.DirectoryEntry(path, mode(attributes)));
                if (relative.isEmpty() && EMPTIED_FOLDERS.contains(name)) {
                    if (name.equals("pg_wal")) {
                        directories.add(new PhysicalInfo.DirectoryEntry("pg_wal/archive_status", 0700));
                    }
                    continue;
                }
                walkFolder(entry.getValue(), path);
            } else if (attributes.isRegularFile()) {
                files.add(new SourceFile(path, entry.getValue(), attributes.size(), attributes.lastModifiedTime().toMillis(),
                        mode(attributes), RelationFile.of(path)));
            }
            // sockets, fifos and devices have no place in a data directory: nothing to copy
        }
    }

    /** pg_tblspc/<oid> links are tablespaces; a linked pg_wal comes back as a plain empty folder. */
    private void symbolicLink(Path link, String relative, String name, String path) {
        if (relative.equals("pg_tblspc") && name.matches("[0-9]+")) {
            try {
                tablespaces.add(new DataDirectoryScan.TablespaceLink(Long.parseLong(name), Files.readSymbolicLink(link).toString()));
            } catch (IOException e) {
                throw unreadable(link, e);
            }
            walkFolder(link, path);
        } else if (relative.isEmpty() && name.equals("pg_wal")) {
            directories.add(new PhysicalInfo.DirectoryEntry("pg_wal", 0700));
            directories.add(new PhysicalInfo.DirectoryEntry("pg_wal/archive_status", 0700));
        }
    }

    private static boolean excluded(String relative, String name, Set<Long> unlogged) {
        if (EXCLUDED_FILES.contains(name) || name.startsWith(TEMP_PREFIX)) {
            return true;
        }
        if (relative.isEmpty() && EXCLUDED_TOP_FILES.contains(name)) {
            return true;
        }
        if (isDatabaseFolder(relative)) {
            if (TEMP_RELATION.matcher(name).matches()) {
                return true;
            }
            RelationFile relation = RelationFile.ofName(name);
            return relation != null && !relation.isInitFork() && unlogged.contains(relation.relfilenode());
        }
        return false;
    }

    /** Relations of a database folder that have an init fork, i.e. are unlogged. */
    private static Set<Long> unloggedRelations(String relative, Set<String> names) {
        Set<Long> unlogged = new HashSet<>();
        if (isDatabaseFolder(relative)) {
            for (String name : names) {
                RelationFile relation = RelationFile.ofName(name);
                if (relation != null && relation.isInitFork()) {
                    unlogged.add(relation.relfilenode());
                }
            }
        }
        return unlogged;
    }

    /** base/<db> or pg_tblspc/<oid>/<version>/<db>. */
    private static boolean isDatabaseFolder(String relative) {
        String[] parts = relative.split("/");
        return (parts.length == 2 && parts[0].equals("base")) || (parts.length == 4 && parts[0].equals("pg_tblspc"));
    }

    private TreeMap<String, Path> list(Path folder, String relative) {
        TreeMap<String, Path> entries = new TreeMap<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
            for (Path p : stream) {
                entries.put(p.getFileName().toString(), p);
            }
        } catch (NoSuchFileException vanished) {
            // a database or folder dropped during the backup: WAL replay drops it too
            if (relative.isEmpty()) {
                throw unreadable(folder, vanished);
            }
        } catch (IOException e) {
            throw unreadable(folder, e);
        }
        return entries;
    }

    private static PosixFileAttributes attributes(Path p) {
        try {
            return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException vanished) {
            return null;
        } catch (IOException e) {
            throw unreadable(p, e);
        }
    }

    static int mode(PosixFileAttributes attributes) {
        int mode = 0;
        for (PosixFilePermission permission : attributes.permissions()) {
            mode |= 1 << (8 - permission.ordinal());
        }
        return mode;
    }

    static CellarException unreadable(Path path, IOException e) {
        String reason = e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
        return new CellarException(ErrorCode.CONFIG_INVALID, "cannot read " + path + " in the data directory: " + reason,
                "run cellar as the operating-system user that owns the data directory (usually postgres)", e);
    }
}
