package dev.cellar.wal.agent;

import dev.cellar.wal.WalArchive;
import dev.cellar.wal.WalFileName;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What {@code restore_command} does once the launcher's fast path did not answer: ask the agent
 * (which also fetches the following segments ahead), or fetch in this process.
 */
public final class WalGet {
    /**
     * @param file    the WAL file asked for
     * @param via     {@code agent} or {@code in-process}
     * @param outcome found, found from its {@code .partial}, or missing
     */
    public record Result(String file, String via, WalArchive.Fetched outcome) {
        public boolean found() {
            return outcome != WalArchive.Fetched.MISSING;
        }
    }

    private final AgentClient agent;
    private final Supplier<WalArchive> archive;

    public WalGet(AgentClient agent, Supplier<WalArchive> archive) {
        this.agent = agent;
        this.archive = archive;
    }

    public Result get(WalFileName name, Path destination) {
        Path absolute = destination.toAbsolutePath().normalize();
        Optional<AgentReply> reply = agent.ask(new AgentRequest.Get(name, absolute));
        if (reply.isPresent()) {
            AgentReply answer = reply.get();
            return switch (answer.status()) {
                case OK -> new Result(name.name(), "agent",
                        AgentReply.FROM_PARTIAL.equals(answer.detail()) ? WalArchive.Fetched.FOUND_PARTIAL : WalArchive.Fetched.FOUND);
                case MISSING -> new Result(name.name(), "agent", WalArchive.Fetched.MISSING);
                case ERROR -> throw answer.toException();
            };
        }
        return new Result(name.name(), "in-process", archive.get().fetch(name, absolute));
    }
}
