package dev.cellar.pg;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * PostgreSQL servers of every major the version-matrix tests run on. The machine's own
 * PostgreSQL (Debian ships one major) serves its major; the others come from the server bundles
 * the build copies into {@code target/postgres-servers/postgres-NN.jar} (initdb, pg_ctl and
 * postgres only), unpacked once per machine and bundle into a folder under java.io.tmpdir that
 * the server's OS user can read. Client programs (pg_dump, pg_receivewal, pgbench) are always
 * the machine's own.
 */
public final class PostgresServers {
    private static final String BUNDLE_ENTRY = "postgres-linux-x86_64.txz";
    private static final Map<Integer, Path> UNPACKED = new ConcurrentHashMap<>();

    private PostgresServers() {
    }

    /** The machine's own binaries when they are of {@code major}, else the unpacked bundle's bin folder searched first. */
    public static PgBinaries binaries(int major) {
        PgBinaries installed = PgBinaries.locate(null);
        if (installed.version("postgres").major() == major) {
            return installed;
        }
        return PgBinaries.searchingFirst(binDir(major));
    }

    /** The bin folder of the bundled server of {@code major}, unpacked on first use. */
    public static synchronized Path binDir(int major) {
        return UNPACKED.computeIfAbsent(major, PostgresServers::unpack).resolve("bin");
    }

    /**
     * One bin folder as a machine with PostgreSQL {@code major} installed has it: that major's
     * server programs (the bundle's) beside the machine's client programs, each a link. This is
     * what {@code postgres.bin-dir} names for a Cellar command that must start a server of this
     * major and run pg_dump or pg_waldump too; a server found through a link still finds its own
     * lib and share folders, since PostgreSQL resolves links to its executable.
     */
    public static synchronized Path binDirWithMachineClients(int major) {
        if (installed(major)) {
            return PgBinaries.locate(null).path("postgres").getParent();
        }
        Path server = binDir(major);
        Path clients = PgBinaries.locate(null).path("pg_dump").getParent();
        Path combined = server.getParent().resolveSibling(server.getParent().getFileName() + "-with-clients").resolve("bin");
        try {
            Files.createDirectories(combined);
            Files.setPosixFilePermissions(combined.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(combined, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (Path folder : List.of(server, clients)) {
                try (Stream<Path> programs = Files.list(folder)) {
                    for (Path program : programs.toList()) {
                        Path link = combined.resolve(program.getFileName());
                        if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                            Files.createSymbolicLink(link, program);
                        }
                    }
                }
            }
            return combined;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the bin folder " + combined, e);
        }
    }

    /** Whether {@code major} is the machine's own PostgreSQL (no bundle needed). */
    public static boolean installed(int major) {
        return PgBinaries.locate(null).version("postgres").major() == major;
    }

    private static Path unpack(int major) {
        Path jar = bundlesDir().resolve("postgres-" + major + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("no PostgreSQL " + major + " server bundle at " + jar
                    + "; 'mvn generate-test-resources' copies it (pom.xml, execution postgres-servers)");
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(BUNDLE_ENTRY);
            if (entry == null) {
                throw new AssertionError(jar + " holds no " + BUNDLE_ENTRY);
            }
            // unpacked once per machine and bundle, and kept: a server still running when a test JVM
            // dies must keep its pg_ctl, and the next run need not unpack 75 MB again
            Path cache = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "cellar-postgres-servers"));
            Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path target = cache.resolve(major + "-" + Long.toHexString(entry.getCrc()));
            if (Files.isExecutable(target.resolve("bin").resolve("postgres"))) {
                return target;
            }
            Path temp = Files.createTempDirectory(cache, major + "-unpacking-");
            // the server runs as another OS user, which must reach and run what is unpacked here
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
            try (InputStream in = zip.getInputStream(entry);
                 TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(in))) {
                extract(tar, temp);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException anotherRunWasFaster) {
                ClusterFolder.deleteQuietly(temp);
                if (!Files.isExecutable(target.resolve("bin").resolve("postgres"))) {
                    throw anotherRunWasFaster;
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + jar, e);
        }
    }

    private static void extract(TarArchiveInputStream tar, Path target) throws IOException {
        Map<Path, Path> hardLinks = new java.util.LinkedHashMap<>();
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            Path path = target.resolve(entry.getName()).normalize();
            if (!path.startsWith(target)) {
                throw new IOException("entry " + entry.getName() + " leaves the folder it is unpacked into");
            }
            if (entry.isDirectory()) {
                Files.createDirectories(path);
                Files.setPosixFilePermissions(path, permissions(entry.getMode() | 0755));
            } else if (entry.isSymbolicLink()) {
                Files.createDirectories(path.getParent());
                Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
            } else if (entry.isLink()) {
                hardLinks.put(path, target.resolve(entry.getLinkName()).normalize());
            } else {
                Files.createDirectories(path.getParent());
                Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(path, permissions(entry.getMode() | 0444));
            }
        }
        for (Map.Entry<Path, Path> link : hardLinks.entrySet()) {
            Files.copy(link.getValue(), link.getKey(), StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }

    private static Path bundlesDir() {
        String configured = System.getProperty("pg.servers.dir");
        return configured != null ? Path.of(configured) : Path.of("target", "postgres-servers");
    }
}
