package dev.cellar.server.run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The job kinds this daemon can run, by name ({@code backup-full}, {@code verify}, ...). */
public final class JobRunners {
    private final Map<String, JobRunner> byKind = new LinkedHashMap<>();

    public JobRunners register(String kind, JobRunner runner) {
        if (byKind.putIfAbsent(kind, runner) != null) {
            throw new IllegalArgumentException("job kind " + kind + " is registered twice");
        }
        return this;
    }

    public Optional<JobRunner> forKind(String kind) {
        return Optional.ofNullable(byKind.get(kind));
    }

    public Set<String> kinds() {
        return byKind.keySet();
    }
}
