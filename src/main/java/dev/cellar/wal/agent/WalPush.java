package dev.cellar.wal.agent;

import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What {@code archive_command} does once the launcher's fast path did not answer: hand the file
 * to the agent, or, when none answers, archive it in this process. Either way it returns only once
 * the file is durably in the repository; a conflict or any failure is thrown, never hidden.
 */
public final class WalPush {
    /**
     * @param file            the WAL file's name
     * @param via             {@code agent} or {@code in-process}
     * @param alreadyArchived the same content was archived before (PostgreSQL retried)
     * @param size            plaintext bytes, or -1 when the agent answered
     * @param storedBytes     bytes the repository grew by, or -1 when the agent answered
     */
    public record Result(String file, String via, boolean alreadyArchived, long size, long storedBytes) {
    }

    private final AgentClient agent;
    private final Supplier<WalArchive> archive;

    /** @param archive opens the repository; called only when no agent answers */
    public WalPush(AgentClient agent, Supplier<WalArchive> archive) {
        this.agent = agent;
        this.archive = archive;
    }

    public Result push(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        WalFileName name = WalFileName.parse(absolute.getFileName().toString());
        Optional<AgentReply> reply = agent.ask(new AgentRequest.Push(absolute));
        if (reply.isPresent()) {
            AgentReply answer = reply.get();
            if (answer.status() != AgentReply.Status.OK) {
                throw answer.toException();
            }
            return new Result(name.name(), "agent", AgentReply.ALREADY_ARCHIVED.equals(answer.detail()), -1, -1);
        }
        WalArchive.Pushed pushed = archive.get().push(absolute);
        return new Result(name.name(), "in-process", pushed.alreadyArchived(), pushed.size(), pushed.storedBytes());
    }

    /**
     * The data directory a WAL path lies in ({@code <data>/pg_wal/<name>}, as PostgreSQL passes
     * {@code %p}), or null when the path does not look like one.
     */
    public static Path dataDirectoryOf(Path walFile) {
        Path parent = walFile.toAbsolutePath().normalize().getParent();
        return parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("pg_wal") ? parent.getParent() : null;
    }
}
