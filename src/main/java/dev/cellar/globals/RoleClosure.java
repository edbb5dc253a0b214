package dev.cellar.globals;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which roles a database needs, from the roles it names directly and the memberships between
 * roles. Downwards: the members of a role the database grants to are who uses those grants (a
 * group role with no members is a lock without keys). Upwards: every role a needed role belongs
 * to, so its memberships can be recreated. Roles reached upwards do not pull in their other
 * members, or one shared group would drag in the whole cluster.
 */
public final class RoleClosure {

    private RoleClosure() {
    }

    /** A membership: {@code member} belongs to {@code role}. */
    public record Edge(String role, String member) {
    }

    /** The roles needed, sorted. */
    public static List<String> of(Collection<String> direct, Collection<Edge> memberships) {
        Set<String> down = reach(direct, memberships, true);
        return List.copyOf(reach(down, memberships, false));
    }

    private static Set<String> reach(Collection<String> start, Collection<Edge> memberships, boolean towardsMembers) {
        Map<String, List<String>> next = memberships.stream().collect(java.util.stream.Collectors.groupingBy(
                e -> towardsMembers ? e.role() : e.member(),
                java.util.stream.Collectors.mapping(e -> towardsMembers ? e.member() : e.role(), java.util.stream.Collectors.toList())));
        Set<String> reached = new TreeSet<>(start);
        Deque<String> pending = new ArrayDeque<>(start);
        while (!pending.isEmpty()) {
            for (String role : next.getOrDefault(pending.pop(), List.of())) {
                if (reached.add(role)) {
                    pending.push(role);
                }
            }
        }
        return reached;
    }
}
