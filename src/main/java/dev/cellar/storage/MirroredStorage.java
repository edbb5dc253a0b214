package dev.cellar.storage;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Several copies of one repository seen as one storage: every write lands in each copy, every
 * read comes from the first copy that holds the object intact. The copies share one repository
 * id and one data key, so an object written to one is valid in all.
 *
 * <p>The first member decides: a write it refuses fails. A write another member refuses marks
 * that member <em>behind</em> for the rest of this process, and nothing more is written to it, so
 * it never holds a manifest whose chunks did not all land ({@code cellar repo sync} catches it up
 * later). The one exception is a first member that cannot be reached at all: then the next
 * member that took the write decides, and the first falls behind, so a backup or a restore goes
 * on while the local disk or the cloud is down. A read that finds the object missing, damaged
 * (the decoder throws {@code INTEGRITY}), archived or unreachable in one member tries the next,
 * and says so; an unreachable member is not asked again in this process.
 *
 * <p>Commands that work on each copy apart (list, verify, sync, expire) reach a member through
 * {@link #member(String)}, which shares that knowledge: a copy found unreachable by any path is
 * reported once and then skipped at once by every other, instead of costing every retry again.
 */
public final class MirroredStorage implements Storage {

    /** One copy: its configured name and its storage. */
    public record Member(String name, Storage storage) {
        public Member {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(storage, "storage");
        }
    }

    /** Something an operator should hear about while the command still succeeds. */
    public record Warning(Kind kind, String member, String key, String message) {
        public enum Kind {
            /** a write to this member failed; it receives no more writes in this process */
            FELL_BEHIND,
            /** a read was answered by a later member */
            READ_FALLBACK,
            /** a listing skipped this member, which could not be listed */
            LIST_SKIPPED,
            /** this member could not be reached; reads and listings skip it for the rest of the process */
            UNREACHABLE
        }
    }

    private static final int THREADS_PER_MEMBER = 4;

    private final List<Member> members;
    private final Consumer<Warning> warnings;
    private final Set<String> behind = ConcurrentHashMap.newKeySet();
    /**
     * Members that did not answer even after the storage's own retries: asking them again for
     * each of a restore's thousands of chunks would cost every chunk those retries again.
     */
    private final Set<String> unreachable = ConcurrentHashMap.newKeySet();
    private final ExecutorService writers;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** False for a mirror {@link #borrowing} its members: they are closed by their owner. */
    private final boolean ownsMembers;

    /**
     * @param members  the copies, the one read first first
     * @param warnings told about members falling behind and reads answered by a later member
     */
    public MirroredStorage(List<Member> members, Consumer<Warning> warnings) {
        this(members, warnings, true);
    }

    /**
     * A mirror over storages that someone else owns and closes: closing it stops only its own
     * writer threads (for a mirror built for part of one operation, such as the audit trail of a sync).
     */
    public static MirroredStorage borrowing(List<Member> members, Consumer<Warning> warnings) {
        return new MirroredStorage(members, warnings, false);
    }

    private MirroredStorage(List<Member> members, Consumer<Warning> warnings, boolean ownsMembers) {
        this.ownsMembers = ownsMembers;
        if (members.size() < 2) {
            throw new IllegalArgumentException("a mirror needs at least two members");
        }
        if (members.stream().map(Member::name).distinct().count() != members.size()) {
            throw new IllegalArgumentException("member names must differ");
        }
        this.members = List.copyOf(members);
        this.warnings = Objects.requireNonNull(warnings, "warnings");
        // the first member is written on the caller's thread; the others each get a few threads,
        // enough for the parallel chunk writes of one backup without an unbounded pool
        this.writers = Executors.newFixedThreadPool(THREADS_PER_MEMBER * (members.size() - 1), r -> {
            Thread t = new Thread(r, "cellar-mirror-write");
            t.setDaemon(true);
            return t;
        });
    }

    public List<Member> members() {
        return members;
    }

    /**
     * Stops the writer threads (a write still in flight is abandoned, as when the process ends)
     * and closes every member unless it {@link #borrowing borrowed} them; a second call does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        writers.shutdownNow();
        if (!ownsMembers) {
            return;
        }
        RuntimeException failure = null;
        for (Member member : members) {
            try {
                member.storage().close();
            } catch (RuntimeException e) {
                // the other members must still be released
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * One copy on its own, for commands that work on each copy apart. It is that member's storage
     * with this mirror's memory of reachability: a copy found unreachable here or through the
     * mirror fails at once for the rest of the process (STORAGE_UNAVAILABLE, naming the copy).
     */
    public Storage member(String name) {
        return new MemberView(memberNamed(name));
    }

    /** Names of the members that could not be reached in this process, in configuration order. */
    public List<String> unreachable() {
        return members.stream().map(Member::name).filter(unreachable::contains).toList();
    }

    /**
     * Asks {@code question} of every member that can be reached, in member order; a member that
     * cannot be reached is left out (and said so once). Fails only when no member answered.
     */
    public <T> Map<String, T> askEach(Function<Storage, T> question) {
        Map<String, T> answers = new LinkedHashMap<>();
        CellarException firstFailure = null;
        for (Member member : members) {
            if (unreachable.contains(member.name())) {
                continue;
            }
            try {
                answers.put(member.name(), question.apply(member.storage()));
            } catch (CellarException e) {
                if (!Reachability.unreachable(e)) {
                    throw e;
                }
                noteUnreachable(member, e);
                if (firstFailure == null) {
                    firstFailure = e;
                }
            }
        }
        if (answers.isEmpty()) {
            throw firstFailure != null ? firstFailure : new CellarException(ErrorCode.STORAGE_UNAVAILABLE,
                    "no copy of the repository can be reached: " + describe(), "check the copies, then run again");
        }
        return answers;
    }

    private Member memberNamed(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no copy named " + name));
    }

    /** Names of the members that missed a write in this process, in configuration order. */
    public List<String> fellBehind() {
        return members.stream().map(Member::name).filter(behind::contains).toList();
    }

    @Override
    public String describe() {
        return String.join(", ", members.stream().map(m -> m.name() + "=" + m.storage().describe()).toList());
    }

    // ---- writes: every healthy member, the first one must succeed ----

    @Override
    public void put(String key, byte[] data) {
        write(key, s -> {
            s.put(key, data);
            return null;
        });
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        return write(key, s -> s.putIfAbsent(key, data));
    }

    @Override
    public boolean putIfAbsentLazily(String key, byte[] data) {
        return write(key, s -> s.putIfAbsentLazily(key, data));
    }

    @Override
    public int requestsPerWorker() {
        return members.stream().mapToInt(m -> m.storage().requestsPerWorker()).max().orElse(1);
    }

    @Override
    public int requestsInFlight(int workers) {
        return members.stream().mapToInt(m -> m.storage().requestsInFlight(workers)).max().orElse(workers);
    }

    /**
     * A copy that fell behind in an earlier run lacks chunks of manifests the other copies hold:
     * each chunk must be offered to every copy, which is how the next backup catches it up.
     */
    @Override
    public boolean manifestsVouchForChunks() {
        return false;
    }

    /** Asks first when any copy finds asking cheap: that copy would otherwise be given sealed bytes it already holds. */
    @Override
    public boolean askBeforeCreate() {
        return members.stream().anyMatch(m -> m.storage().askBeforeCreate());
    }

    @Override
    public void flushLazyWrites() {
        write("(new chunks)", s -> {
            s.flushLazyWrites();
            return null;
        });
    }

    @Override
    public boolean putIfAbsentRetained(String key, byte[] data, Retention retention) {
        return write(key, s -> s.putIfAbsentRetained(key, data, retention));
    }

    @Override
    public void extendRetention(String key, Retention retention) {
        write(key, s -> {
            s.extendRetention(key, retention);
            return null;
        });
    }

    @Override
    public void delete(String key) {
        write(key, s -> {
            s.delete(key);
            return null;
        });
    }

    /** Archived in every copy: a read falls back to a copy where the object is not archived. */
    @Override
    public java.util.Set<String> listArchived(String prefix) {
        java.util.Set<String> everywhere = null;
        for (Member member : members) {
            java.util.Set<String> archived = member.storage().listArchived(prefix);
            if (everywhere == null) {
                everywhere = new java.util.HashSet<>(archived);
            } else {
                everywhere.retainAll(archived);
            }
            if (everywhere.isEmpty()) {
                return java.util.Set.of();
            }
        }
        return everywhere == null ? java.util.Set.of() : everywhere;
    }

    /** Starts a thaw wherever the object sits archived; true if any member started or has one. */
    @Override
    public boolean requestThaw(String key, Duration keepFor) {
        boolean any = false;
        for (Member member : members) {
            try {
                any |= member.storage().requestThaw(key, keepFor);
            } catch (NoSuchObjectException e) {
                // this member does not hold it: nothing to thaw there
            }
        }
        return any;
    }

    private <T> T write(String key, Function<Storage, T> operation) {
        List<Member> targets = new ArrayList<>();
        for (Member member : members) {
            if (unreachable.contains(member.name())) {
                markBehind(member, key, new IllegalStateException("it could not be reached earlier in this run"));
            } else if (!behind.contains(member.name())) {
                targets.add(member);
            }
        }
        if (targets.isEmpty()) {
            throw new CellarException(ErrorCode.STORAGE_UNAVAILABLE, "no copy of the repository can take " + key
                    + ": every copy fell behind or could not be reached earlier in this run", "check the copies with 'cellar list', then run again");
        }
        Member primary = targets.get(0);
        List<Member> others = targets.subList(1, targets.size());
        List<Future<T>> pending = new ArrayList<>();
        for (Member member : others) {
            pending.add(writers.submit(() -> operation.apply(member.storage())));
        }
        T result = null;
        CellarException primaryUnreachable = null;
        try {
            result = operation.apply(primary.storage());
        } catch (CellarException e) {
            if (e.code() != ErrorCode.STORAGE_UNAVAILABLE || others.isEmpty()) {
                awaitOthers(others, key, pending);
                throw e;
            }
            primaryUnreachable = e;
        } catch (RuntimeException | Error e) {
            awaitOthers(others, key, pending);
            throw e;
        }
        // wait for every member, whatever the first did: a caller must never see a write
        // return while another copy is still writing what it ordered before the next write
        List<T> fromOthers = awaitOthers(others, key, pending);
        if (primaryUnreachable == null) {
            return result;
        }
        if (fromOthers.isEmpty()) {
            throw primaryUnreachable;
        }
        noteUnreachable(primary, primaryUnreachable);
        markBehind(primary, key, primaryUnreachable);
        return fromOthers.get(0);
    }

    /**
     * The answers of the other members that took the write, in member order (null for a write
     * without one); those that failed fall behind.
     */
    private <T> List<T> awaitOthers(List<Member> others, String key, List<Future<T>> pending) {
        List<T> answers = new ArrayList<>();
        for (int i = 0; i < others.size(); i++) {
            awaitOther(others.get(i), key, pending.get(i), answers);
        }
        return answers;
    }

    /** Adds the member's answer to {@code answers}, or marks it behind when it failed. */
    private <T> void awaitOther(Member member, String key, Future<T> pending, List<T> answers) {
        boolean interrupted = false;
        while (true) {
            try {
                answers.add(pending.get());
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                markBehind(member, key, e.getCause());
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void markBehind(Member member, String key, Throwable cause) {
        if (behind.add(member.name())) {
            warnings.accept(new Warning(Warning.Kind.FELL_BEHIND, member.name(), key,
                    "copy '" + member.name() + "' (" + member.storage().describe() + ") fell behind: " + key + " could not be written there ("
                            + reason(cause) + "); nothing more is written to it in this run"));
        }
    }

    // ---- reads: the first member that holds the object intact ----

    @Override
    public byte[] get(String key) {
        return firstAnswer(key, s -> s.get(key));
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        return firstAnswer(key, s -> s.getRange(key, offset, length));
    }

    @Override
    public <T> T read(String key, Function<byte[], T> decode) {
        return firstAnswer(key, s -> s.read(key, decode));
    }

    @Override
    public long size(String key) {
        return firstAnswer(key, s -> s.size(key));
    }

    @Override
    public Optional<Retention> retention(String key) {
        return members.get(0).storage().retention(key);
    }

    /** The time of the first member with a server clock that has answered (each member judges its own locks by its own). */
    @Override
    public Optional<Instant> serverTime() {
        return members.stream().map(m -> m.storage().serverTime()).flatMap(Optional::stream).findFirst();
    }

    /**
     * True only if every member still written to holds the object, so that a chunk one copy
     * lacks is written again (to all; a member that has it keeps its own) instead of skipped.
     */
    @Override
    public boolean exists(String key) {
        boolean answered = false;
        for (Member member : members) {
            if (behind.contains(member.name()) || unreachable.contains(member.name())) {
                continue; // not written to, so not asked
            }
            try {
                if (!member.storage().exists(key)) {
                    return false;
                }
                answered = true;
            } catch (CellarException e) {
                if (!answered && e.code() != ErrorCode.STORAGE_UNAVAILABLE) {
                    throw e; // the deciding copy's own error, not its absence
                }
                // it cannot be asked, so it cannot be written either
                noteUnreachable(member, e);
                markBehind(member, key, e);
            }
        }
        if (!answered) {
            throw new CellarException(ErrorCode.STORAGE_UNAVAILABLE, "no copy of the repository can be asked for " + key
                    + ": every copy fell behind or could not be reached in this run", "check the copies with 'cellar list', then run again");
        }
        return true;
    }

    /** The union of the members' listings, ascending; a member that cannot be listed is skipped (and said so). */
    @Override
    public List<String> list(String prefix) {
        Set<String> keys = new TreeSet<>();
        CellarException firstFailure = null;
        int answered = 0;
        for (Member member : readable()) {
            try {
                keys.addAll(member.storage().list(prefix));
                answered++;
            } catch (CellarException e) {
                if (firstFailure == null) {
                    firstFailure = e;
                }
                noteUnreachable(member, e);
                warnings.accept(new Warning(Warning.Kind.LIST_SKIPPED, member.name(), prefix,
                        "copy '" + member.name() + "' could not be listed (" + reason(e) + "); listed the other copies"));
            }
        }
        if (answered == 0) {
            throw firstFailure;
        }
        return List.copyOf(keys);
    }

    @Override
    public boolean supportsRetention() {
        return members.stream().allMatch(m -> m.storage().supportsRetention());
    }

    private <T> T firstAnswer(String key, Function<Storage, T> read) {
        List<String> failures = new ArrayList<>();
        CellarException firstFailure = null;
        for (Member member : readable()) {
            try {
                T value = read.apply(member.storage());
                if (!failures.isEmpty()) {
                    warnings.accept(new Warning(Warning.Kind.READ_FALLBACK, member.name(), key,
                            key + " " + String.join(", ", failures) + ", read from " + member.name()));
                }
                return value;
            } catch (CellarException e) {
                if (!fallsBack(e) && firstFailure == null) {
                    throw e; // not about this object in this copy (a bug, an interrupt): trying others would hide it
                }
                if (firstFailure == null) {
                    firstFailure = e;
                } else {
                    firstFailure.addSuppressed(e);
                }
                failures.add(failureWord(e) + " in " + member.name());
                noteUnreachable(member, e);
            }
        }
        throw firstFailure;
    }

    /** The members worth asking: all but the unreachable ones, or all of them when none other is left. */
    private List<Member> readable() {
        List<Member> reachable = members.stream().filter(m -> !unreachable.contains(m.name())).toList();
        return reachable.isEmpty() ? members : reachable;
    }

    private void noteUnreachable(Member member, CellarException e) {
        if (Reachability.unreachable(e) && unreachable.add(member.name())) {
            warnings.accept(new Warning(Warning.Kind.UNREACHABLE, member.name(), null,
                    "copy '" + member.name() + "' (" + member.storage().describe() + ") cannot be reached (" + reason(e)
                            + "); the other copies answer for the rest of this run"));
        }
    }

    /** Failures that another copy can answer: the object is absent, damaged, archived or its copy unreachable. */
    static boolean fallsBack(CellarException e) {
        return e instanceof NoSuchObjectException || switch (e.code()) {
            case INTEGRITY, OBJECT_ARCHIVED, STORAGE_UNAVAILABLE, REPOSITORY_INVALID -> true;
            default -> false;
        };
    }

    private static String failureWord(CellarException e) {
        if (e instanceof NoSuchObjectException) {
            return "missing";
        }
        return switch (e.code()) {
            case INTEGRITY -> "damaged";
            case OBJECT_ARCHIVED -> "archived";
            case STORAGE_UNAVAILABLE -> "unreachable";
            default -> "unreadable";
        };
    }

    private static String reason(Throwable cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    /**
     * One member seen through the mirror's memory of reachability. Every {@link Storage} method is
     * passed on (MirroredStorageTest checks that none is left to the interface's default).
     */
    private final class MemberView implements Storage {
        private final Member member;

        MemberView(Member member) {
            this.member = member;
        }

        private <T> T ask(Function<Storage, T> call) {
            if (unreachable.contains(member.name())) {
                throw new CellarException(ErrorCode.STORAGE_UNAVAILABLE, "copy '" + member.name() + "' (" + member.storage().describe()
                        + ") could not be reached earlier in this run", "run the command again once it can be reached");
            }
            try {
                return call.apply(member.storage());
            } catch (CellarException e) {
                noteUnreachable(member, e);
                throw e;
            }
        }

        private void run(Consumer<Storage> call) {
            ask(s -> {
                call.accept(s);
                return null;
            });
        }

        @Override
        public String describe() {
            return member.storage().describe();
        }

        @Override
        public void put(String key, byte[] data) {
            run(s -> s.put(key, data));
        }

        @Override
        public boolean putIfAbsent(String key, byte[] data) {
            return ask(s -> s.putIfAbsent(key, data));
        }

        @Override
        public boolean putIfAbsentLazily(String key, byte[] data) {
            return ask(s -> s.putIfAbsentLazily(key, data));
        }

        @Override
        public int requestsPerWorker() {
            return member.storage().requestsPerWorker();
        }

        @Override
        public boolean askBeforeCreate() {
            return member.storage().askBeforeCreate();
        }

        @Override
        public int requestsInFlight(int workers) {
            return member.storage().requestsInFlight(workers);
        }

        @Override
        public boolean manifestsVouchForChunks() {
            return member.storage().manifestsVouchForChunks();
        }

        @Override
        public void flushLazyWrites() {
            run(Storage::flushLazyWrites);
        }

        @Override
        public byte[] get(String key) {
            return ask(s -> s.get(key));
        }

        @Override
        public byte[] getRange(String key, long offset, int length) {
            return ask(s -> s.getRange(key, offset, length));
        }

        @Override
        public <T> T read(String key, Function<byte[], T> decode) {
            return ask(s -> s.read(key, decode));
        }

        @Override
        public boolean exists(String key) {
            return ask(s -> s.exists(key));
        }

        @Override
        public long size(String key) {
            return ask(s -> s.size(key));
        }

        @Override
        public List<String> list(String prefix) {
            return ask(s -> s.list(prefix));
        }

        @Override
        public void delete(String key) {
            run(s -> s.delete(key));
        }

        @Override
        public boolean supportsRetention() {
            return member.storage().supportsRetention();
        }

        @Override
        public boolean putIfAbsentRetained(String key, byte[] data, Retention retention) {
            return ask(s -> s.putIfAbsentRetained(key, data, retention));
        }

        @Override
        public Optional<Retention> retention(String key) {
            return ask(s -> s.retention(key));
        }

        @Override
        public void extendRetention(String key, Retention retention) {
            run(s -> s.extendRetention(key, retention));
        }

        @Override
        public Set<String> listArchived(String prefix) {
            return ask(s -> s.listArchived(prefix));
        }

        @Override
        public boolean requestThaw(String key, Duration keepFor) {
            return ask(s -> s.requestThaw(key, keepFor));
        }

        @Override
        public SortedMap<String, Long> listSizes(String prefix) {
            return ask(s -> s.listSizes(prefix));
        }

        @Override
        public boolean versioned() {
            return ask(Storage::versioned);
        }

        @Override
        public List<HiddenObject> listBehindDeleteMarkers(String prefix) {
            return ask(s -> s.listBehindDeleteMarkers(prefix));
        }

        @Override
        public List<HiddenObject> hiddenObjectsRead() {
            return member.storage().hiddenObjectsRead();
        }

        @Override
        public <T> T readVersion(String key, String versionId, Function<byte[], T> decode) {
            return ask(s -> s.readVersion(key, versionId, decode));
        }

        @Override
        public void restoreVersion(String key, String versionId) {
            run(s -> s.restoreVersion(key, versionId));
        }

        @Override
        public Optional<Instant> serverTime() {
            return member.storage().serverTime();
        }

        @Override
        public Instant lockTime(Clock hostClock) {
            return member.storage().lockTime(hostClock);
        }

        /** The member belongs to the mirror, which closes it; a view of it releases nothing. */
        @Override
        public void close() {
        }
    }
}
