package dev.cellar.wal.agent;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts {@code cellar wal agent} in the background, detached from the caller: in its own
 * session (so PostgreSQL's archiver, which waits for archive_command's process, and signals to
 * its process group do not reach it), stdin from /dev/null and output appended to the agent log.
 */
public final class AgentLauncher {
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final String mainClass;

    /** @param mainClass the command-line entry point that understands {@code wal agent ...} */
    public AgentLauncher(String mainClass) {
        this.mainClass = mainClass;
    }

    /**
     * Starts an agent with {@code arguments} (after {@code wal agent}) unless one holds the spool.
     * Returns whether a process was started; never fails the caller's own work.
     */
    public boolean startIfAbsent(WalSpool spool, List<String> arguments) {
        if (WalAgent.isRunning(spool)) {
            return false;
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xmx512m", "-Xmn256m", "-cp", classPath(), mainClass, "wal", "agent"));
        command.addAll(arguments);
        return startDetached(spool, command, null).isPresent();
    }

    /**
     * Starts {@code command} (a complete {@code cellar wal agent ...} command line) detached, as
     * {@code osUser} when given (a restore run as root starts the agent as PostgreSQL's user,
     * who must be able to use what it fetches). Empty when it could not be started.
     */
    public static Optional<Process> startDetached(WalSpool spool, List<String> command, String osUser) {
        List<String> full = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            full.add(SETSID.toString());
        }
        if (osUser != null) {
            full.addAll(List.of("runuser", "-u", osUser, "--"));
        }
        full.addAll(command);
        try {
            if (osUser != null && !Files.exists(spool.log())) {
                // the agent appends to its log by name too, so it must own the file the redirection creates
                Files.createFile(spool.log());
                Files.setOwner(spool.log(), spool.log().getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(osUser));
            }
            ProcessBuilder builder = new ProcessBuilder(full)
                    .directory(spool.root().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(spool.log().toFile()))
                    .redirectErrorStream(true);
            // the heap of an agent started as "java -jar" is bounded like the launcher's (~300 MB resident, not a quarter of RAM)
            builder.environment().putIfAbsent("JDK_JAVA_OPTIONS", "-Xmx512m -Xmn256m");
            return Optional.of(builder.start());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** This process's class path with absolute entries, since the agent starts in the spool folder. */
    private static String classPath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            entries.add(Path.of(entry).toAbsolutePath().toString());
        }
        return String.join(File.pathSeparator, entries);
    }
}
