package dev.cellar.web.oidc;

import dev.cellar.web.auth.Role;

import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which role an OIDC user acts with, from the groups the provider says they are in
 * ({@code web.oidc.role-mapping}): the highest role any of their groups maps to, so a DBA who is
 * also in the auditors' group is still a DBA; none when no group maps, and the login is refused.
 */
public final class OidcRoleMapping {
    /** Most permissions first: the order in which {@link Role} lists the roles. */
    private static final Comparator<Role> HIGHEST_FIRST = Comparator.comparingInt(Role::ordinal);

    private final Map<String, Role> roleOfGroup;

    public OidcRoleMapping(Map<String, Role> roleOfGroup) {
        this.roleOfGroup = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(roleOfGroup, "roleOfGroup")));
    }

    /** The highest role among the groups' roles; empty when no group is mapped. Group names match exactly. */
    public Optional<Role> roleFor(Collection<String> groups) {
        return groups.stream().map(roleOfGroup::get).filter(Objects::nonNull).min(HIGHEST_FIRST);
    }

    /** The mapped group names in the order configured, for the message that refuses a user in none of them. */
    public Collection<String> groups() {
        return roleOfGroup.keySet();
    }
}
