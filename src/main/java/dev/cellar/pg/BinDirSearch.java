package dev.cellar.pg;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where PostgreSQL programs may live when no bin folder is configured, in the order to try:
 * what {@code pg_config --bindir} says, the PATH, then the per-version folders that distributions
 * install side by side (highest version first). A folder named by the operator, in the file or
 * the environment, is {@code postgres.bin-dir} and is searched alone (see {@link PgBinaries}).
 */
final class BinDirSearch {

    /** A family of side-by-side installs: {@code parent/<name with the major>/bin}. */
    record VersionedLayout(Path parent, Pattern childName) {

        List<VersionedDir> dirs() {
            if (!Files.isDirectory(parent)) {
                return List.of();
            }
            try (Stream<Path> children = Files.list(parent)) {
                return children.<VersionedDir>mapMulti((child, out) -> {
                    Matcher m = childName.matcher(child.getFileName().toString());
                    if (m.matches() && Files.isDirectory(child.resolve("bin"))) {
                        out.accept(new VersionedDir(Integer.parseInt(m.group(1)), child.resolve("bin")));
                    }
                }).toList();
            } catch (IOException e) {
                return List.of();
            }
        }
    }

    private record VersionedDir(int major, Path bin) {
    }

    /** Debian and Ubuntu (postgresql-common), then the PGDG packages for RHEL and Fedora. */
    private static final List<VersionedLayout> DISTRIBUTION_LAYOUTS = List.of(
            new VersionedLayout(Path.of("/usr/lib/postgresql"), Pattern.compile("(\\d+)")),
            new VersionedLayout(Path.of("/usr"), Pattern.compile("pgsql-(\\d+)")));

    private final Map<String, String> environment;
    private final List<VersionedLayout> layouts;

    BinDirSearch(Map<String, String> environment, List<VersionedLayout> layouts) {
        this.environment = environment;
        this.layouts = layouts;
    }

    static BinDirSearch system() {
        return new BinDirSearch(System.getenv(), DISTRIBUTION_LAYOUTS);
    }

    /** The folders to search, best first, without duplicates. */
    List<Path> candidateDirs() {
        LinkedHashSet<Path> dirs = new LinkedHashSet<>();
        pgConfigBinDir().ifPresent(dirs::add);
        dirs.addAll(pathDirs());
        layouts.stream().flatMap(layout -> layout.dirs().stream())
                .sorted(Comparator.comparingInt(VersionedDir::major).reversed())
                .forEach(d -> dirs.add(d.bin()));
        return new ArrayList<>(dirs);
    }

    private List<Path> pathDirs() {
        String path = environment.getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).toList();
    }

    private Optional<Path> pgConfigBinDir() {
        Optional<Path> pgConfig = pathDirs().stream().map(d -> d.resolve("pg_config"))
                .filter(Files::isExecutable).findFirst();
        if (pgConfig.isEmpty()) {
            return Optional.empty();
        }
        ProcessResult result = ProcessRunner.run(List.of(pgConfig.get().toString(), "--bindir"), Map.of(), null);
        String dir = result.stdout().strip();
        return result.succeeded() && !dir.isEmpty() ? Optional.of(Path.of(dir)) : Optional.empty();
    }
}
